/**
 * The process itself: start refused with one line when PostgreSQL or Redis is unreachable, /healthz, and a
 * graceful stop on SIGTERM; the monthly top-up job scheduler, late or repeated runs changing nothing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { closeLastPeriod, syncTopUpSchedule, topUpSchedulerId } from '../../src/credits/top-up.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { startTestApp } from '../helpers/app.ts';
import { seedAccount, usageEvent } from '../helpers/factories.ts';
import { freePort } from '../helpers/processes.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function runMain(env: Record<string, string>, opts: { untilOutput?: RegExp; timeoutMs?: number } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = async (re: RegExp) => {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    while (!re.test(stdout + stderr)) {
      if (Date.now() > deadline) throw new Error(`no ${re} in: ${stdout}${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, output, text: () => ({ stdout, stderr }) };
}

describe('start and stop', () => {
  it('refuses to start when Redis is unreachable, with one line naming REDIS_URL', async () => {
    const port = await freePort();
    const p = runMain({ DATABASE_URL: inject('databaseUrl'), REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(await p.exited).toBe(1);
    const lines = p.text().stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Cannot reach Redis at REDIS_URL=redis:\/\/127\.0\.0\.1:\d+.*start Redis or set REDIS_URL/,
    );
  }, 60_000);

  it('refuses to start when PostgreSQL is unreachable, with one line naming DATABASE_URL', async () => {
    const port = await freePort();
    const p = runMain({ DATABASE_URL: `postgresql://root:secret@127.0.0.1:${port}/x`, REDIS_URL: inject('redisUrl') });
    expect(await p.exited).toBe(1);
    const lines = p.text().stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Cannot reach PostgreSQL at DATABASE_URL=postgresql:\/\/root:\*\*\*@127\.0\.0\.1:\d+\/x.*start PostgreSQL or set DATABASE_URL/,
    );
  }, 60_000);

  it('refuses to start in production with a secret missing, naming it', async () => {
    const p = runMain({ NODE_ENV: 'production', DATABASE_URL: inject('databaseUrl'), REDIS_URL: inject('redisUrl') });
    expect(await p.exited).toBe(1);
    expect(p.text().stderr.trim()).toBe('PLATFORM_API_KEY is required in production: set it in the environment.');
  }, 60_000);

  it('serves /healthz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const p = runMain({
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      PORT: String(port),
      REDIS_PREFIX: `test-proc-${port}`,
    });
    await p.output(/workers started/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.text().stdout).toMatch(/"msg":"bye"/);
    const redis = new Redis(inject('redisUrl'));
    const keys = await redis.keys(`test-proc-${port}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }, 60_000);
});

describe('monthly top-up', () => {
  it('keeps a job scheduler per account at 00:00 of its top-up day in its time zone', async () => {
    const app = await startTestApp();
    try {
      const acc = await seedAccount(app, { timeZone: 'Europe/Madrid', topUpDay: 15 });
      const out = await syncTopUpSchedule(app.services.db, app.services.queues.credits, acc.id);
      expect(out).toEqual({ pattern: '0 0 15 * *', tz: 'Europe/Madrid' });
      const scheduler = await app.services.queues.credits.getJobScheduler(topUpSchedulerId(acc.id));
      expect(scheduler).toMatchObject({ pattern: '0 0 15 * *', tz: 'Europe/Madrid' });
      // Its next run is the account's next top-up.
      const state = (await app.api('GET', `/accounts/${acc.id}/credit-state`)).body;
      expect(scheduler?.next).toBe(Date.parse(state.nextTopUpAt));
    } finally {
      await app.close();
    }
  });

  it('records the closed period once, and a late or repeated run changes no balance', async () => {
    const clock = fixedClock('2026-11-20T10:00:00Z');
    const app = await startTestApp({ clock });
    try {
      const acc = await seedAccount(app, { monthlyCredits: 1_000 });
      await app.api('POST', '/usage-events', {
        events: [usageEvent(acc.id, { credits: 300, occurredAt: clock.now() })],
      });
      clock.set('2026-12-03T08:00:00Z'); // the job runs two days late
      const before = (await app.api('GET', `/accounts/${acc.id}/credit-state`)).body.credits;
      const first = await closeLastPeriod(app.services.db, clock, app.services.credits, acc.id);
      const second = await closeLastPeriod(app.services.db, clock, app.services.credits, acc.id);
      expect(first).toEqual({ periodStart: '2026-11-01T00:00:00.000Z', recorded: true });
      expect(second.recorded).toBe(false);
      const after = (await app.api('GET', `/accounts/${acc.id}/credit-state`)).body.credits;
      expect(after).toEqual(before);
      expect(after).toMatchObject({ balance: 1_000, usedThisPeriod: 0 });
      const { rows } = await app.services.db.sql<{ figures: Record<string, number> }>(
        'SELECT figures FROM period_close WHERE account_id = $1',
        [acc.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.figures).toMatchObject({ plan: 1_000, used: 300, expired: 700, overage: 0 });
    } finally {
      await app.close();
    }
  });
});
