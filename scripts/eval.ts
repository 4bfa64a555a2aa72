/**
 * `npm run eval [-- --file <questions.jsonl>] [-- --min 0.95]`: runs labelled customer phrasings through the
 * bot (the real product: Direct Line over HTTP, the bot, the demo account's figures) and prints the intent
 * accuracy per intent and language, and slot accuracy. Default file: ../shared/eval/questions.dev.jsonl when it
 * is there (the shared folder next to this repository), else its copy in test/fixtures/.
 * Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL); uses a throwaway database and Redis prefix.
 * Then runs the compound set (scripts/eval-compound.ts: comparisons, rankings, shares, averages, two asks in one,
 * plan questions and advice, scored on the reply's figures) and its held-out batch. `--set
 * dev|compound|holdout|all` (default all) picks the sets. Exits non-zero when the dev set's intent accuracy is
 * below --min or a compound set's right share is below --min-compound (default 0: it only reports).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createHttpApp, listen } from '../src/app/http.ts';
import { createServices } from '../src/app/services.ts';
import { loadConfig } from '../src/config.ts';
import { DEMO_USERS, seedDemo } from '../src/demo/seed.ts';
import { ensureDatabase } from '../src/infra/db.ts';
import { applyMigrations } from '../src/infra/migrate.ts';
import { createLogger } from '../src/shared/logger.ts';
import { ChatClient } from '../test/helpers/chat.ts';
import { type CompoundSet, minCompoundArg, runCompoundEval } from './eval-compound.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const file = path.resolve(
  arg('file') ??
    process.env.EVAL_FILE ??
    [
      path.join(here, '../../shared/eval/questions.dev.jsonl'),
      path.join(here, '../test/fixtures/questions.dev.jsonl'),
    ].find((f) => existsSync(f)) ??
    '',
);
const min = Number(arg('min') ?? process.env.EVAL_MIN ?? '0.95');
const set = arg('set') ?? process.env.EVAL_SET ?? 'all';
if (!['dev', 'compound', 'holdout', 'all'].includes(set))
  throw new Error(`--set must be dev, compound, holdout or all, not ${set}`);

interface Case {
  id: string;
  lang: 'en' | 'es';
  text: string;
  intent: string;
  slots?: Record<string, unknown>;
}

const cases: Case[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Case);

/** Compares the dev file's slot conventions with what the bot understood. */
function slotMatches(name: string, expected: unknown, got: Record<string, unknown>): boolean {
  switch (name) {
    case 'period': {
      const p = got.period as { kind?: string; days?: number } | undefined;
      if (!p) return false;
      const m = /^last_(\d+)_days$/.exec(String(expected));
      return m ? p.kind === 'last_n_days' && p.days === Number(m[1]) : p.kind === expected;
    }
    case 'action_type':
      return got.actionType === expected;
    case 'amount':
      return got.amount === expected;
    case 'target_plan':
      return (
        String((got.targetPlan as { name?: string } | undefined)?.name ?? '').toLowerCase() ===
        String(expected).toLowerCase()
      );
    default:
      return JSON.stringify(got[name]) === JSON.stringify(expected);
  }
}

async function main() {
  let ok = true;
  if (set === 'dev' || set === 'all') ok = (await runDevSet()) && ok;
  if (set !== 'dev') {
    const sets: CompoundSet[] = set === 'all' ? ['compound', 'holdout'] : [set as CompoundSet];
    const results = await runCompoundEval({ min: minCompoundArg(), sets });
    ok = Object.values(results).every((r) => r.ok) && ok;
  }
  process.exitCode = ok ? 0 : 1;
}

/** The labelled phrasings of --file against the demo account: intent and slot accuracy. */
async function runDevSet(): Promise<boolean> {
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const dbName = `creditbot_eval_${randomBytes(3).toString('hex')}`;
  const url = new URL(base.databaseUrl);
  url.pathname = `/${dbName}`;
  await ensureDatabase(url.toString());
  await applyMigrations(url.toString());
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url.toString(),
    REDIS_PREFIX: `eval-${dbName}`,
    DIRECT_LINE_SECRET: 'eval-secret-0123456789',
    PLATFORM_API_KEY: 'eval-key-0123456789',
  });
  const services = createServices(config, { logger: createLogger({ level: 'silent' }) });
  const http = createHttpApp(services);
  const server = await listen(http.app, 0, '127.0.0.1');
  http.attach(server);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await seedDemo({ db: services.db, clock: services.clock });
    const user = DEMO_USERS[0].id;
    const rows: Array<Case & { got: string; ok: boolean; slotsOk: number; slotsTotal: number }> = [];
    const started = performance.now();
    for (const c of cases) {
      const chat = await ChatClient.open(baseUrl, user, config.directLine.secret);
      const replies = await chat.say(c.text);
      // With the LLM assistant on, a typing indicator may come first.
      const first = replies.find((r) => r.type === 'message') ?? replies[0];
      const data = (first?.channelData ?? {}) as {
        intent?: string;
        nlu?: { intent: string; slots: Record<string, unknown> };
      };
      const got = data.nlu?.intent ?? data.intent ?? '(no reply)';
      const expectedSlots = Object.entries(c.slots ?? {});
      const slotsOk = expectedSlots.filter(([k, v]) => slotMatches(k, v, data.nlu?.slots ?? {})).length;
      rows.push({ ...c, got, ok: got === c.intent, slotsOk, slotsTotal: expectedSlots.length });
    }
    const elapsed = performance.now() - started;

    const groups = new Map<string, { n: number; ok: number }>();
    const add = (k: string, ok: boolean) => {
      const g = groups.get(k) ?? { n: 0, ok: 0 };
      g.n++;
      if (ok) g.ok++;
      groups.set(k, g);
    };
    for (const r of rows) {
      add(`${r.intent}|${r.lang}`, r.ok);
      add(`${r.intent}|all`, r.ok);
      add(`(all)|${r.lang}`, r.ok);
      add('(all)|all', r.ok);
    }
    const pct = (g?: { n: number; ok: number }) =>
      g ? `${((100 * g.ok) / g.n).toFixed(1).padStart(5)}% (${g.ok}/${g.n})` : '      -      ';
    const intents = [...new Set(rows.map((r) => r.intent))].sort();
    console.log(
      `\nEvaluation of ${path.relative(process.cwd(), file)}: ${rows.length} questions through Direct Line → bot\n`,
    );
    console.log(`${'intent'.padEnd(28)} ${'en'.padEnd(18)} ${'es'.padEnd(18)} all`);
    for (const i of [...intents, '(all)']) {
      console.log(
        `${i.padEnd(28)} ${pct(groups.get(`${i}|en`)).padEnd(18)} ${pct(groups.get(`${i}|es`)).padEnd(18)} ${pct(groups.get(`${i}|all`))}`,
      );
    }
    const slotTotal = rows.reduce((s, r) => s + r.slotsTotal, 0);
    const slotOk = rows.reduce((s, r) => s + r.slotsOk, 0);
    console.log(`\nslots: ${slotTotal ? ((100 * slotOk) / slotTotal).toFixed(1) : '100.0'}% (${slotOk}/${slotTotal})`);
    console.log(`time: ${(elapsed / rows.length).toFixed(1)} ms per question (token, conversation, turn)`);
    const misses = rows.filter((r) => !r.ok);
    if (misses.length) {
      console.log('\nmisses:');
      for (const m of misses) console.log(`  ${m.id} [${m.lang}] expected ${m.intent}, got ${m.got}: ${m.text}`);
    }
    const overall = groups.get('(all)|all')!;
    const accuracy = overall.ok / overall.n;
    console.log(`\noverall intent accuracy ${(accuracy * 100).toFixed(1)}% (target ≥ ${(min * 100).toFixed(0)}%)`);
    return accuracy >= min;
  } finally {
    server.closeAllConnections();
    server.close();
    await services.close();
    const admin = new URL(base.databaseUrl);
    admin.pathname = '/postgres';
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
