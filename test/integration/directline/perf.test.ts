/**
 * Quick micro-benchmark (printed) with loose bounds: server overhead of a POST (no bot work), and 200
 * concurrent conversations each with an open stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DlTestServer,
  openStream,
  type StreamReader,
  startDirectLineTestServer,
  waitFor,
} from '../../helpers/directline-client.ts';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Direct Line performance', () => {
  let s: DlTestServer;
  let userId: string;

  beforeAll(async () => {
    s = await startDirectLineTestServer();
    userId = (await s.seedUser()).id;
  });
  afterAll(async () => {
    await s?.close();
  });

  async function measurePost(server: DlTestServer, label: string) {
    server.bot = async () => undefined;
    const g = await server.generate((await server.seedUser()).id);
    const time = async (fn: () => Promise<unknown>, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await fn();
        out.push(performance.now() - t0);
      }
      return out;
    };
    const post = () =>
      server.call('POST', `/conversations/${g.conversationId}/activities`, {
        auth: g.token,
        body: { type: 'message', text: 'How many credits do I have left?', channelData: { clientActivityID: 'x' } },
      });
    // The same HTTP stack, no Direct Line work: a CORS preflight answered by the router's first middleware.
    const baseline = () => server.call('OPTIONS', '/conversations');
    await time(post, 50);
    await time(baseline, 50);
    const posts = await time(post, 400);
    const base = await time(baseline, 400);
    const overhead = mean(posts) - mean(base);
    console.log(
      `[directline] ${label}: POST /activities mean ${mean(posts).toFixed(2)} ms, p50 ${percentile(posts, 0.5).toFixed(2)}, ` +
        `p95 ${percentile(posts, 0.95).toFixed(2)}; HTTP baseline mean ${mean(base).toFixed(2)} ms; ` +
        `Direct Line overhead ≈ ${overhead.toFixed(2)} ms`,
    );
    return overhead;
  }

  it('adds a few milliseconds at most per POST', async () => {
    expect(await measurePost(s, 'durable commit')).toBeLessThan(15);
    // The same without waiting for the WAL flush, to tell our own cost from the commit's fsync.
    const fast = await startDirectLineTestServer({ pgSettings: { synchronous_commit: 'off' } });
    try {
      expect(await measurePost(fast, 'synchronous_commit=off (measurement only)')).toBeLessThan(10);
    } finally {
      await fast.close();
    }
  });

  it('serves 200 concurrent conversations with open streams', async () => {
    s.bot = async (dl, conversation, activity) => {
      if (activity.type === 'message') await dl.appendBotActivity(conversation.id, { text: `echo: ${activity.text}` });
    };
    const n = 200;
    const convs = await Promise.all(
      Array.from({ length: n }, async () => {
        const g = await s.generate(userId);
        const r = await s.call('POST', '/conversations', { auth: g.token });
        return { ...g, streamUrl: r.body.streamUrl as string };
      }),
    );
    const readers: StreamReader[] = await Promise.all(convs.map((c) => openStream(c.streamUrl)));
    try {
      const t0 = performance.now();
      await Promise.all(
        convs.map(async (c) => {
          for (let i = 0; i < 3; i++) {
            const r = await s.call('POST', `/conversations/${c.conversationId}/activities`, {
              auth: c.token,
              body: { type: 'message', text: `m${i}` },
            });
            expect(r.status).toBe(200);
          }
        }),
      );
      await waitFor(() => readers.every((r) => r.activities.length >= 6), 20_000, 'all streams');
      const ms = performance.now() - t0;
      console.log(
        `[directline] ${n} conversations × 3 messages (+3 echoes), streamed: ${ms.toFixed(0)} ms (${((n * 6) / (ms / 1000)).toFixed(0)} activities/s)`,
      );
      for (const r of readers) {
        expect(r.activities.map((a) => a.text)).toEqual(['m0', 'echo: m0', 'm1', 'echo: m1', 'm2', 'echo: m2']);
      }
    } finally {
      for (const r of readers) r.ws.terminate();
    }
  });
});
