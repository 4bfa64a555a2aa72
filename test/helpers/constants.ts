/** Fixed secrets of the test apps (no vitest import here: scripts reuse the chat client). */
export const TEST_API_KEY = 'test-platform-key-0123456789';
export const TEST_DL_SECRET = 'test-directline-secret-0123456789';
