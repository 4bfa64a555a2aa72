/**
 * The production build: `npm run build` (part of `npm test`, before vitest) compiles to dist/; the compiled
 * server starts with NODE_ENV=production as the Docker image runs it (`node dist/main.js`), serves, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../helpers/database.ts';
import { freePort } from '../helpers/processes.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'dist/main.js');

describe('node dist/main.js', () => {
  it('starts in production from the compiled build, serves, and stops on SIGTERM', async () => {
    expect(existsSync(main), 'dist/main.js is missing: run `npm run build` (npm test does)').toBe(true);
    const db = await freshDatabase();
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        LOG_LEVEL: 'info',
        DATABASE_URL: db.url,
        REDIS_URL: inject('redisUrl'),
        REDIS_PREFIX: `build-test-${port}`,
        PLATFORM_API_KEY: 'build-test-key-0123456789',
        DIRECT_LINE_SECRET: 'build-test-secret-0123456789',
        CONSOLE_ADMIN_PASSWORD: 'build-test-password',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    child.stderr.on('data', (d) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/listening on/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const doc = await fetch(`${base}/api/platform/openapi.json`);
      expect(doc.status).toBe(200);
      expect(((await doc.json()) as { info: { version: string } }).info.version).toMatch(/^\d+\.\d+\.\d+/);
      // Production: no demo page, and the API wants its key.
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/api/platform/accounts/x/credit-state`)).status).toBe(401);
      const stopping = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(10_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.drop();
    }
  }, 60_000);
});
