/** Configuration from the environment: defaults, switches and clear refusals (no services needed). */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';

const base = { DATABASE_URL: 'postgresql://root@127.0.0.1:5432/x', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('loadConfig', () => {
  it('keeps accounts in memory unless told not to', () => {
    expect(loadConfig(base).accountCache).toBe(true);
    expect(loadConfig({ ...base, ACCOUNT_CACHE: 'true' }).accountCache).toBe(true);
    for (const off of ['false', '0', 'no'])
      expect(loadConfig({ ...base, ACCOUNT_CACHE: off }).accountCache).toBe(false);
  });

  it('refuses a switch it cannot read, naming it', () => {
    expect(() => loadConfig({ ...base, ACCOUNT_CACHE: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ACCOUNT_CACHE: 'maybe' })).toThrow(/ACCOUNT_CACHE/);
  });

  it('wants Slack token and signing secret together', () => {
    expect(() => loadConfig({ ...base, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/go together/);
  });
});
