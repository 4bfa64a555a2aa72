/**
 * Chat bench: 200 concurrent Direct Line conversations asking mixed questions (English and Spanish) of the
 * real bot, and the same load against a bare echo bot on the same stack (Direct Line server, adapter,
 * conversation state in PostgreSQL). Two phases each:
 *  - paced: the conversations together offer --rate turns/s (default 500: each asks on its own schedule,
 *    never before it has the previous answer), the reply latency a customer sees at that load;
 *  - saturated: every conversation asks again as soon as it has its reply: the most turns per second
 *    (latency there is queueing: 200 conversations / throughput).
 * Latency is server-side (the POST that stores the message, runs the bot and stores its reply) and client-side.
 *
 *   npm run bench:chat     # or: npx tsx bench/chat.ts [--conversations=200] [--turns=10] [--rate=400] [--workers=1]
 *                          #     [--baseline=<another checkout>]  the credit bot of that checkout too, same run
 *
 * The server runs in child processes (--workers, like WEB_CONCURRENCY) so the load generator does not
 * compete with it; each reports the CPU it spent per turn. Targets: ≤ 1.4× the echo bot's CPU per turn,
 * server-side p99 ≤ 50 ms at 400 turns/s offered, ≥ 500 turns/s saturated. Writes bench/out/chat.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  upsertAccount,
  upsertCatalogPlan,
  upsertCreditPack,
  upsertIdentity,
  upsertUser,
} from '../src/accounts/accounts.ts';
import { createGrant, ingestConversationEvents, ingestUsageEvents } from '../src/credits/ingest.ts';
import { USAGE_TYPES } from '../src/credits/types.ts';
import { DEMO_CATALOG } from '../src/demo/seed.ts';
import { createDb } from '../src/infra/db.ts';
import { systemClock } from '../src/shared/clock.ts';
import { freePort } from '../test/helpers/processes.ts';
import { applyMigrations, createScratchDatabase } from './lib/database.ts';
import { fmtMs, type Summary, summarize, table } from './lib/stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    conversations: { type: 'string', default: '200' },
    turns: { type: 'string', default: '10' },
    accounts: { type: 'string', default: '20' },
    rate: { type: 'string', default: '400' },
    baseline: { type: 'string' },
    workers: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const RATE = Number(opts.rate);
const WORKERS = Number(opts.workers);
const CONVERSATIONS = Number(opts.conversations);
const TURNS = Number(opts.turns);
const ACCOUNTS = Number(opts.accounts);
const USERS_PER_ACCOUNT = Math.max(1, Math.ceil(CONVERSATIONS / ACCOUNTS));
const SECRET = `bench-dl-${randomBytes(8).toString('hex')}`;

const QUESTIONS = [
  'how many credits do i have left?',
  'what did we spend credits on this month?',
  'which team member is using the most credits?',
  'when do my credits renew?',
  'at this rate when will i run out of credits?',
  'how many conversations did each identity start this month',
  'what plan am i on and how many credits does it include?',
  'how much does the plan cost per month?',
  'do unused credits roll over?',
  'why did my credits drop this week?',
  'show me daily credit usage for the last 7 days',
  '¿cuántos créditos me quedan?',
  'cuántos créditos gastamos el mes pasado en total',
  'quién de mi equipo ha gastado más créditos este mes?',
  'hay un límite de conversaciones al mes en mi plan?',
  'cuántos créditos he gastado en scraping esta semana?',
];

async function seed(url: string) {
  const db = createDb({ url, poolSize: 8 });
  const clock = systemClock;
  const now = Date.now();
  for (const p of DEMO_CATALOG.plans) await upsertCatalogPlan(db, p.id, p);
  for (const p of DEMO_CATALOG.packs) await upsertCreditPack(db, p.id, p);
  const users: string[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const id = `acc_bench_${a}`;
    await upsertAccount(
      db,
      clock,
      id,
      {
        name: `Bench ${a}`,
        plan: { ...DEMO_CATALOG.plans[1]!, id: 'plan_growth' },
        timeZone: a % 2 ? 'Europe/Madrid' : 'America/Mexico_City',
        locale: a % 2 ? 'es' : 'en',
        accountManager: { slackUserId: 'U0BENCHAM1', name: 'Bench AM' },
      },
      { createdAt: new Date(now - 120 * 86_400_000), planEffectiveFrom: new Date(now - 120 * 86_400_000) },
    );
    const accUsers: string[] = [];
    for (let u = 0; u < USERS_PER_ACCOUNT; u++) {
      const userId = `usr_bench_${a}_${u}`;
      await upsertUser(db, id, userId, { name: `${['Ana', 'Luis', 'Marta', 'Pablo', 'Eva'][u % 5]} ${u}` });
      accUsers.push(userId);
      users.push(userId);
    }
    for (let i = 0; i < 5; i++) await upsertIdentity(db, id, `idn_${i}`, `Identity ${i} · LinkedIn`);
    await createGrant(db, clock, { id: `carry_${id}`, accountId: id, kind: 'carryover', credits: 3_000 });
    // 90 days of usage: 6,000 events per account.
    const events = Array.from({ length: 6_000 }, (_, i) => ({
      id: `ev_${id}_${i}`,
      accountId: id,
      userId: accUsers[i % accUsers.length]!,
      type: USAGE_TYPES[i % USAGE_TYPES.length]!,
      credits: 1 + (i % 7),
      occurredAt: new Date(now - Math.floor(Math.random() * 90 * 86_400_000)),
    }));
    for (let i = 0; i < events.length; i += 1_000) await ingestUsageEvents(db, clock, events.slice(i, i + 1_000));
    const convs = Array.from({ length: 1_500 }, (_, i) => ({
      id: `cv_${id}_${i}`,
      accountId: id,
      identityId: `idn_${i % 5}`,
      campaignId: `cmp_${i % 4}`,
      campaignName: `Campaign ${i % 4}`,
      occurredAt: new Date(now - Math.floor(Math.random() * 60 * 86_400_000)),
    }));
    for (let i = 0; i < convs.length; i += 1_000) await ingestConversationEvents(db, clock, convs.slice(i, i + 1_000));
  }
  await db.sql('VACUUM ANALYZE');
  await db.close();
  return users;
}

interface Server {
  url: string;
  child: ChildProcess;
  out: string;
}

async function startServer(mode: 'credit' | 'echo', dbUrl: string, prefix: string, cwd = root): Promise<Server> {
  const port = await freePort();
  const out = await mkdtemp(path.join(os.tmpdir(), 'chat-bench-'));
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench/out/prof')}`] : [];
  const args = [
    ...prof,
    '--import',
    'tsx',
    'bench/lib/chat-server.ts',
    '--mode',
    mode,
    '--db',
    dbUrl,
    '--prefix',
    prefix,
  ];
  args.push('--secret', SECRET, '--workers', String(WORKERS), '--port', String(port), '--out', out);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout!.on('data', (d) => {
      text += d.toString();
      if (/listening \d+/.test(text)) resolve({ url: `http://127.0.0.1:${port}`, child, out });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${text}`)));
  });
}

/** Stops the server processes and collects what they measured. */
async function stopServer(
  s: Server,
): Promise<{ samples: Array<[number, number]>; statements: Record<string, number>; cpuMs: number }> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  const samples: Array<[number, number]> = [];
  const statements: Record<string, number> = {};
  let cpuMs = 0;
  for (const f of await readdir(s.out)) {
    const data = JSON.parse(await readFile(path.join(s.out, f), 'utf8')) as {
      samples: Array<[number, number]>;
      statements: Record<string, number>;
      cpuMs: number;
    };
    samples.push(...data.samples);
    for (const [k, v] of Object.entries(data.statements)) statements[k] = (statements[k] ?? 0) + v;
    cpuMs += data.cpuMs;
  }
  await rm(s.out, { recursive: true, force: true });
  return { samples, statements, cpuMs };
}

async function openConversation(base: string, userId: string) {
  const gen = await fetch(`${base}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: userId } }),
  });
  if (gen.status !== 200) throw new Error(`tokens/generate ${gen.status} ${await gen.text()}`);
  const { token, conversationId } = (await gen.json()) as { token: string; conversationId: string };
  await (
    await fetch(`${base}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
  ).text();
  return { token, conversationId };
}

async function turn(base: string, c: { token: string; conversationId: string }, text: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/v3/directline/conversations/${c.conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text, from: { id: 'bench' } }),
  });
  await res.text();
  if (res.status !== 200) throw new Error(`post ${res.status}`);
  return performance.now() - t0;
}

interface Phase {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  client: Summary;
  server: Summary;
  window: [number, number];
}

/** What a phase measured on the client side: its latencies, its rate, and its time window (for the server's samples). */
function phaseOf(client: number[], t0: number, begin: number): Omit<Phase, 'server'> {
  const seconds = (performance.now() - t0) / 1000;
  return {
    turns: client.length,
    seconds,
    turnsPerSecond: client.length / seconds,
    client: summarize('client', client),
    window: [begin, Date.now()],
  };
}

/**
 * Closed loop: every conversation sends its next message as soon as the reply arrives (saturation:
 * the most turns per second; latency then only measures the queue, Little's law).
 */
async function closedLoop(url: string, convs: Conv[]): Promise<Omit<Phase, 'server'>> {
  const client: number[] = [];
  const begin = Date.now();
  const t0 = performance.now();
  await Promise.all(
    convs.map(async (c, i) => {
      for (let k = 0; k < TURNS; k++) client.push(await turn(url, c, QUESTIONS[(i + k) % QUESTIONS.length]!));
    }),
  );
  return phaseOf(client, t0, begin);
}

/**
 * Paced: customers who read the answer before asking again. Together the conversations offer RATE turns per
 * second (each waits an exponential pause after its reply); latency here is what a customer sees at that load.
 */
async function paced(url: string, convs: Conv[], rate: number): Promise<Omit<Phase, 'server'>> {
  const client: number[] = [];
  const perConv = rate / convs.length; // turns per second each
  const begin = Date.now();
  const t0 = performance.now();
  const interval = 1000 / perConv;
  await Promise.all(
    convs.map(async (c, i) => {
      // Each conversation asks on its own schedule (spread over the first interval, ±25% jitter per turn),
      // and never before it has the previous answer.
      const start = performance.now() + Math.random() * interval;
      for (let k = 0; k < TURNS; k++) {
        const due = start + k * interval + (Math.random() - 0.5) * 0.5 * interval;
        await sleep(Math.max(0, due - performance.now()));
        client.push(await turn(url, c, QUESTIONS[(i + k) % QUESTIONS.length]!));
      }
    }),
  );
  return phaseOf(client, t0, begin);
}

type Conv = { token: string; conversationId: string };

async function run(mode: 'credit' | 'echo', dbUrl: string, users: string[], cwd = root) {
  const prefix = `cbbench-chat-${mode}-${randomBytes(3).toString('hex')}`;
  const server = await startServer(mode, dbUrl, prefix, cwd);
  let phases: { closed: Omit<Phase, 'server'>; paced: Omit<Phase, 'server'> } | undefined;
  let collected: Awaited<ReturnType<typeof stopServer>>;
  try {
    const convs = await Promise.all(
      Array.from({ length: CONVERSATIONS }, (_, i) => openConversation(server.url, users[i % users.length]!)),
    );
    // Warm-up: two turns per conversation (JIT, connection pools, caches), not measured.
    for (let k = 0; k < 2; k++)
      await Promise.all(convs.map((c, i) => turn(server.url, c, QUESTIONS[(i + k) % QUESTIONS.length]!)));
    await fetch(`${server.url}/__bench/statements/reset`, { method: 'POST' });
    const closed = await closedLoop(server.url, convs);
    const pacedRun = await paced(server.url, convs, RATE);
    phases = { closed, paced: pacedRun };
  } finally {
    collected = await stopServer(server);
  }
  if (!phases) throw new Error('no measurements');
  const inWindow = (w: [number, number]) =>
    collected.samples.filter(([end]) => end >= w[0] && end <= w[1]).map(([, ms]) => ms);
  const turns = phases.closed.turns + phases.paced.turns;
  const perTurn = Object.values(collected.statements).reduce((a, b) => a + b, 0) / turns;
  const cpuPerTurn = collected.cpuMs / turns;
  console.log(
    `${mode}: ${perTurn.toFixed(2)} PostgreSQL statements per turn, ${cpuPerTurn.toFixed(2)} ms of server CPU per turn`,
  );
  if (process.env.BENCH_VERBOSE) {
    for (const [k, v] of Object.entries(collected.statements).sort((a, b) => b[1] - a[1])) {
      console.log(`  ${(v / (phases.closed.turns + phases.paced.turns)).toFixed(2)}  ${k}`);
    }
  }
  return {
    mode,
    statementsPerTurn: perTurn,
    cpuMsPerTurn: cpuPerTurn,
    closed: { ...phases.closed, server: summarize('server', inWindow(phases.closed.window)) },
    paced: { ...phases.paced, server: summarize('server', inWindow(phases.paced.window)) },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  console.log(
    `chat bench: ${CONVERSATIONS} concurrent conversations × ${TURNS} turns, ${os.cpus().length} CPUs, node ${process.version}`,
  );
  const scratch = await createScratchDatabase('cbbench_chat');
  try {
    await applyMigrations(scratch.url);
    const t = performance.now();
    const users = await seed(scratch.url);
    console.log(
      `seeded ${ACCOUNTS} accounts, ${users.length} users, ${ACCOUNTS * 6_000} usage events in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const baseline = opts.baseline ? await run('credit', scratch.url, users, path.resolve(opts.baseline)) : undefined;
    const credit = await run('credit', scratch.url, users);
    const echo = await run('echo', scratch.url, users);
    const row = (name: string, p: Phase) => [
      name,
      p.turns,
      p.turnsPerSecond.toFixed(0),
      fmtMs(p.server.median),
      fmtMs(p.server.p99),
      fmtMs(p.client.median),
      fmtMs(p.client.p99),
    ];
    console.log(
      `\n${table(
        ['run', 'turns', 'turns/s', 'server median ms', 'server p99 ms', 'client median ms', 'client p99 ms'],
        [
          ...(baseline ? [row(`baseline credit bot, paced at ${RATE}/s`, baseline.paced)] : []),
          row(`credit bot, paced at ${RATE}/s`, credit.paced),
          row(`echo bot, paced at ${RATE}/s`, echo.paced),
          ...(baseline ? [row('baseline credit bot, saturated', baseline.closed)] : []),
          row('credit bot, saturated', credit.closed),
          row('echo bot, saturated', echo.closed),
        ],
      )}`,
    );
    const ratioP99 = credit.paced.server.p99 / echo.paced.server.p99;
    const ratioMedian = credit.paced.server.median / echo.paced.server.median;
    console.log(
      `\ncredit bot / echo bot at ${RATE}/s: server p99 ${ratioP99.toFixed(2)}x, median ${ratioMedian.toFixed(2)}x; saturated throughput ${(echo.closed.turnsPerSecond / credit.closed.turnsPerSecond).toFixed(2)}x lower`,
    );
    const cpuRatio = credit.cpuMsPerTurn / echo.cpuMsPerTurn;
    console.log(
      `server CPU per turn: credit ${credit.cpuMsPerTurn.toFixed(2)} ms, echo ${echo.cpuMsPerTurn.toFixed(2)} ms (${cpuRatio.toFixed(2)}x)${baseline ? `, baseline credit ${baseline.cpuMsPerTurn.toFixed(2)} ms (${(baseline.cpuMsPerTurn / echo.cpuMsPerTurn).toFixed(2)}x)` : ''}`,
    );
    const targets = [
      ["≤ 1.4× the echo bot's server CPU per turn", cpuRatio <= 1.4],
      [`server-side p99 ≤ 50 ms at ${RATE} turns/s offered`, credit.paced.server.p99 <= 50],
      ['≥ 500 turns/s (saturated)', credit.closed.turnsPerSecond >= 500],
    ] as const;
    console.log(`\n${targets.map(([t, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${t}`).join('\n')}`);
    await mkdir(path.join(root, 'bench/out'), { recursive: true });
    await writeFile(
      path.join(root, 'bench/out/chat.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          conversations: CONVERSATIONS,
          turnsEach: TURNS,
          rate: RATE,
          workers: WORKERS,
          credit,
          echo,
          ...(baseline ? { baseline } : {}),
          cpuRatio,
          ratioP99,
          ratioMedian,
        },
        null,
        2,
      ),
    );
  } finally {
    if (!opts.keep) await scratch.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
