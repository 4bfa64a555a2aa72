/**
 * The server half of bench/chat.ts, in processes of their own so the load generator does not steal their CPU.
 *   node --import tsx bench/lib/chat-server.ts --mode credit|echo --db <url> --prefix <p> --secret <s> [--workers N]
 * `credit`: the real product's HTTP app (Direct Line → CreditBot → credit domain).
 * `echo`: the same HTTP app, Direct Line server, adapter and conversation state (PostgreSQL, read along with the
 *   stored message) with a bare ActivityHandler echo bot in place of the credit bot (`directLineTurn`), so the
 *   two differ in the bot alone.
 * With --workers N, N processes share the port (node:cluster), as WEB_CONCURRENCY does for `npm start`.
 * Every POST .../activities (the whole turn: store, run the bot, store its reply) is timed; on SIGTERM each
 * process writes its samples (with their end times) and statement counts to --out, then exits.
 * Prints "listening <port>" when ready.
 */
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ActivityHandler, type TurnContext } from 'botbuilder-core';
import express from 'express';
import { createHttpApp, listen } from '../../src/app/http.ts';
import { createServices } from '../../src/app/services.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/shared/logger.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    db: { type: 'string' },
    prefix: { type: 'string' },
    secret: { type: 'string' },
    workers: { type: 'string', default: '1' },
    port: { type: 'string', default: '0' },
    out: { type: 'string' },
  },
});
const workers = Number(values.workers);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let ready = 0;
  cluster.on('message', (_w, msg: { port?: number }) => {
    if (msg.port && ++ready === workers) console.log(`listening ${msg.port}`);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const t = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    }, 50);
    t.unref();
  });
} else {
  await serve();
}

async function serve() {
  const mode = values.mode === 'echo' ? 'echo' : 'credit';
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: values.db,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
    REDIS_PREFIX: values.prefix,
    DIRECT_LINE_SECRET: values.secret,
    PLATFORM_API_KEY: 'bench-platform-key',
  });
  const logger = createLogger({ level: 'silent' });
  // The echo bot: counts turns in the conversation state (read and written in PostgreSQL like the bot's) and
  // echoes the text. It runs through the product's own HTTP app, Direct Line server and adapter, so the two
  // modes differ in the bot alone.
  let echo: ActivityHandler | undefined;
  const services = createServices(config, {
    logger,
    ...(mode === 'echo' ? { directLineTurn: (ctx: TurnContext) => echo!.run(ctx) } : {}),
  });
  if (mode === 'echo') {
    // The product's conversation state (the same storage, read along with the stored message).
    const state = services.conversationState;
    const counter = state.createProperty<number>('turns');
    class EchoBot extends ActivityHandler {
      constructor() {
        super();
        this.onMessage(async (ctx, next) => {
          await counter.set(ctx, (await counter.get(ctx, 0)) + 1);
          await ctx.sendActivity(`echo: ${ctx.activity.text ?? ''}`);
          await next();
        });
      }
      override async run(ctx: TurnContext) {
        await super.run(ctx);
        await state.saveChanges(ctx);
      }
    }
    echo = new EchoBot();
  }

  const samples: Array<[end: number, ms: number]> = [];
  // Statements sent to PostgreSQL, by their first words: what a turn costs in round trips.
  const statements = new Map<string, number>();
  const query = services.db.pool.query.bind(services.db.pool) as (...a: unknown[]) => unknown;
  (services.db.pool as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { text?: string };
    const text = (typeof first === 'string' ? first : (first?.text ?? '')).replace(/\s+/g, ' ').trim().slice(0, 60);
    statements.set(text, (statements.get(text) ?? 0) + 1);
    return query(...args);
  };

  const outer = express();
  outer.use((req, res, next) => {
    if (req.method === 'POST' && req.path.endsWith('/activities')) {
      const t0 = process.hrtime.bigint();
      res.on('finish', () => samples.push([Date.now(), Number(process.hrtime.bigint() - t0) / 1e6]));
    }
    next();
  });
  // CPU this process spends from the reset on: what a turn costs the server (PostgreSQL's own CPU not included).
  let cpuFrom = process.cpuUsage();
  outer.post('/__bench/statements/reset', (_req, res) => {
    statements.clear();
    cpuFrom = process.cpuUsage();
    res.json({ ok: true });
  });

  const http = createHttpApp(services);
  outer.use(http.app);
  const attach = http.attach;

  const server = await listen(outer, Number(values.port), '127.0.0.1');
  attach(server);
  const port = (server.address() as AddressInfo).port;
  if (cluster.isWorker) process.send?.({ port });
  else console.log(`listening ${port}`);
  process.on('SIGTERM', () => {
    if (values.out) {
      writeFileSync(
        `${values.out}/${mode}-${process.pid}.json`,
        JSON.stringify({
          samples,
          statements: Object.fromEntries(statements),
          cpuMs: (() => {
            const used = process.cpuUsage(cpuFrom);
            return (used.user + used.system) / 1000;
          })(),
        }),
      );
    }
    process.exit(0);
  });
}
