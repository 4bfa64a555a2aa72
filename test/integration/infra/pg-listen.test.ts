/** The listening connection: trusted only while its probes come back (real PostgreSQL). */
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createListener } from '../../../src/infra/pg-listen.ts';

const wait = async (what: string, ok: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('createListener', () => {
  it('never says it is ready when its probe does not come back (a pooler that drops notifications)', async () => {
    const events: string[] = [];
    const l = createListener({
      databaseUrl: inject('databaseUrl'),
      channel: 'test_probe_lost',
      probe: async () => undefined, // sent nowhere
      probeTimeoutMs: 200,
      retryMs: 100,
      onNotify: () => events.push('notify'),
      onReady: () => events.push('ready'),
      onReset: () => events.push('reset'),
    });
    await l.start();
    await wait('two failed attempts', () => events.filter((e) => e === 'reset').length >= 2);
    await l.stop();
    expect(events).not.toContain('ready');
  });

  it('notices a connection that stops delivering, resets and comes back', async () => {
    const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    let deliver = true;
    const events: string[] = [];
    const l = createListener({
      databaseUrl: inject('databaseUrl'),
      channel: 'test_probe_heartbeat',
      probe: async (payload) => {
        if (deliver) await pool.query('SELECT pg_notify($1, $2)', ['test_probe_heartbeat', payload]);
      },
      probeEveryMs: 100,
      probeTimeoutMs: 200,
      retryMs: 100,
      onNotify: () => events.push('notify'),
      onReady: () => events.push('ready'),
      onReset: () => events.push('reset'),
    });
    try {
      await l.start();
      await wait('ready', () => events.includes('ready'));
      deliver = false; // as if the connection had died silently
      await wait('the reset', () => events.includes('reset'));
      deliver = true;
      await wait('ready again', () => events.filter((e) => e === 'ready').length === 2);
      expect(events.slice(0, 3)).toEqual(['ready', 'reset', 'ready']);
      expect(events).not.toContain('notify'); // probes are not handed on
    } finally {
      await l.stop();
      await pool.end();
    }
  });
});
