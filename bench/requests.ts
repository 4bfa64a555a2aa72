/**
 * Requests bench: 1,000 Buy More requests confirmed through the chat (Direct Line → bot → PostgreSQL + outbox
 * → BullMQ → Slack DM), then approved with signed Slack clicks (→ ledger → customer's message). Measures
 *  - confirmation → the approval message at the Slack stand-in (target p99 ≤ 300 ms),
 *  - Approve click → the customer's message stored in their conversation (target p99 ≤ 500 ms).
 *
 *   npm run bench:requests   # or: npx tsx bench/requests.ts [--requests=1000] [--rate=20] [--concurrency=50]
 *
 * Customers arrive at --rate per second (each: open the chat, ask to buy, confirm); the manager then approves
 * at the same rate. --rate=0 sends them as fast as --concurrency allows (a burst: latency then includes the
 * backlog).
 *
 * The product runs as its own process (`npm start`'s entry, ROLE=all) on a scratch database and Redis prefix;
 * the Slack Web API stand-in and the load generator run here. Writes bench/out/requests.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { upsertAccount, upsertUser } from '../src/accounts/accounts.ts';
import { createDb } from '../src/infra/db.ts';
import { systemClock } from '../src/shared/clock.ts';
import { ChatClient } from '../test/helpers/chat.ts';
import { blockActionPayload, postToBolt, startSlackStandin } from '../test/standins/slack.ts';
import { applyMigrations, createScratchDatabase } from './lib/database.ts';
import { fmtMs, summarize, table } from './lib/stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    rate: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(opts.requests);
const CONCURRENCY = Number(opts.concurrency);
/** New customers starting a purchase per second (0 = as fast as CONCURRENCY allows). */
const RATE = Number(opts.rate);
const ACCOUNTS = 50;
const SECRET = `bench-dl-${randomBytes(8).toString('hex')}`;
const SIGNING = `bench-signing-${randomBytes(8).toString('hex')}`;
const MANAGER = 'U0BENCHMGR';

/** Runs fn over items, at most n at a time, starting at most `rate` per second (0 = no pacing). */
async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>, rate = 0) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        if (rate > 0) {
          const due = t0 + (i * 1000) / rate;
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        }
        await fn(items[i]!, i);
      }
    }),
  );
}

function startProduct(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m && out.includes('workers started')) resolve({ url: `http://127.0.0.1:${m[1]}`, child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`product exited with ${code}: ${out.slice(-2000)}`)));
  });
}

async function main() {
  console.log(
    `requests bench: ${REQUESTS} requests, ${RATE > 0 ? `${RATE} new customers per second, ` : ''}at most ${CONCURRENCY} at a time`,
  );
  const scratch = await createScratchDatabase('cbbench_requests');
  const slack = await startSlackStandin();
  let child: ChildProcess | undefined;
  try {
    await applyMigrations(scratch.url);
    const db = createDb({ url: scratch.url, poolSize: 4 });
    const users: string[] = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      const id = `acc_req_${a}`;
      await upsertAccount(db, systemClock, id, {
        name: `Requests ${a}`,
        plan: { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 },
        accountManager: { slackUserId: MANAGER, name: 'Bench Manager' },
      });
      for (let u = 0; u < Math.ceil(REQUESTS / ACCOUNTS); u++) {
        const userId = `usr_req_${a}_${u}`;
        await upsertUser(db, id, userId, { name: `Customer ${a}-${u}` });
        users.push(userId);
      }
    }
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    ({ child } = await startProduct({
      NODE_ENV: 'test',
      ROLE: 'all',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DATABASE_URL: scratch.url,
      DATABASE_POOL_SIZE: '20',
      REDIS_PREFIX: `cbbench-req-${randomBytes(3).toString('hex')}`,
      DIRECT_LINE_SECRET: SECRET,
      PLATFORM_API_KEY: 'bench-platform-key',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.apiUrl,
      SEED_DEMO: 'false',
    }));
    const url = `http://127.0.0.1:${port}`;

    // 1. Confirm through the chat.
    const chats: ChatClient[] = [];
    const confirmedAt = new Map<string, number>(); // reference → when the confirmation returned
    const started = performance.now();
    await pool(
      users.slice(0, REQUESTS),
      CONCURRENCY,
      async (userId, i) => {
        const chat = await ChatClient.open(url, userId, SECRET);
        chats[i] = chat;
        const quote = await chat.say(`I want to buy ${1_000 + (i % 9) * 250} credits`);
        const action = quote.flatMap((m) => m.suggestedActions?.actions ?? []).find((a) => /Confirm/.test(a.title));
        if (!action) throw new Error(`no Confirm button: ${JSON.stringify(quote.map((m) => m.text))}`);
        const done = await chat.say(action.title, action.value as Record<string, unknown>);
        const ref = /\*\*(R-[0-9A-F]{6})\*\*/.exec(done.map((m) => m.text).join('\n'))?.[1];
        if (!ref) throw new Error(`no reference: ${JSON.stringify(done.map((m) => m.text))}`);
        confirmedAt.set(ref, Date.now());
      },
      RATE,
    );
    const confirmSeconds = (performance.now() - started) / 1000;
    await slack.waitFor((c) => c.method === 'chat.postMessage' && !c.faulted, 120_000, REQUESTS);
    const posts = slack.callsTo('chat.postMessage').filter((c) => !c.faulted);
    const toSlack: number[] = [];
    const postByRef = new Map<string, (typeof posts)[number]>();
    for (const p of posts) {
      const ref = /(R-[0-9A-F]{6})/.exec(JSON.stringify(p.body.blocks ?? ''))?.[1];
      const at = ref ? confirmedAt.get(ref) : undefined;
      if (ref && at !== undefined) {
        toSlack.push(Math.max(0, p.at - at));
        postByRef.set(ref, p);
      }
    }

    // 2. Approve each in Slack; the customer's message is what we wait for.
    const clickedAt = new Map<string, number>(); // conversation id → click time
    const refs = [...postByRef.keys()];
    const convByRef = new Map<string, string>();
    const { rows: reqs } = await db.sql<{ id: string; conversation_id: string }>(
      'SELECT id::text, conversation_id FROM change_request',
    );
    for (const r of reqs) convByRef.set(`R-${r.id.replaceAll('-', '').slice(0, 6).toUpperCase()}`, r.conversation_id);
    await pool(
      refs,
      CONCURRENCY,
      async (ref) => {
        const p = postByRef.get(ref)!;
        const response = p.response.body as { channel: string; ts: string };
        const blocks = p.body.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
        const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'request_approve')!.value!;
        const payload = blockActionPayload({
          userId: MANAGER,
          actionId: 'request_approve',
          value,
          channelId: response.channel,
          messageTs: response.ts,
        });
        clickedAt.set(convByRef.get(ref)!, Date.now());
        const res = await postToBolt(`${url}/slack/events`, SIGNING, { body: payload });
        if (res.status !== 200) throw new Error(`click ${res.status}`);
      },
      RATE,
    );
    const deadline = Date.now() + 120_000;
    let notes: Array<{ conversation_id: string; at: Date }> = [];
    while (Date.now() < deadline) {
      notes = (
        await db.sql<{ conversation_id: string; at: Date }>(
          `SELECT conversation_id, created_at AS at FROM dl_activity WHERE activity->>'text' LIKE '%approved by%'`,
        )
      ).rows;
      if (notes.length >= refs.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const toCustomer = notes
      .map((n) => n.at.getTime() - (clickedAt.get(n.conversation_id) ?? Number.NaN))
      .filter((x) => Number.isFinite(x));
    const { rows: grantRows } = await db.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM credit_grant WHERE source = 'request'",
    );
    await db.close();

    const a = summarize('confirmation → Slack message', toSlack);
    const b = summarize('Approve click → customer message', toCustomer);
    console.log(
      `\nconfirmed ${confirmedAt.size} requests in ${confirmSeconds.toFixed(1)} s (${(confirmedAt.size / confirmSeconds).toFixed(0)}/s, 2 chat turns each)`,
    );
    console.log(
      `approval messages: ${toSlack.length}; customer messages: ${toCustomer.length}; grants: ${grantRows[0]?.n}`,
    );
    console.log(
      `\n${table(
        ['path', 'n', 'median ms', 'p99 ms', 'max ms'],
        [a, b].map((s) => [s.name, s.n, fmtMs(s.median), fmtMs(s.p99), fmtMs(s.max)]),
      )}`,
    );
    const checks = [
      ['confirmation → Slack p99 ≤ 300 ms', a.p99 <= 300],
      ['Approve → customer p99 ≤ 500 ms', b.p99 <= 500],
      [
        'every request reached Slack, the ledger and the customer once',
        toSlack.length === REQUESTS && toCustomer.length === REQUESTS && grantRows[0]?.n === REQUESTS,
      ],
    ] as const;
    console.log(`\n${checks.map(([t, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${t}`).join('\n')}`);
    await mkdir(path.join(root, 'bench/out'), { recursive: true });
    await writeFile(
      path.join(root, 'bench/out/requests.json'),
      JSON.stringify(
        { at: new Date().toISOString(), requests: REQUESTS, concurrency: CONCURRENCY, toSlack: a, toCustomer: b },
        null,
        2,
      ),
    );
  } finally {
    child?.kill('SIGTERM');
    await slack.close();
    if (!opts.keep) await scratch.drop().catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
