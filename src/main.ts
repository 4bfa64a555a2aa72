/**
 * Entry point: `npm start`. Loads the config, checks PostgreSQL and Redis, applies migrations,
 * seeds the demo account on an empty database (outside production), then runs the HTTP server
 * and/or the workers (ROLE=all|web|worker), in WEB_CONCURRENCY processes sharing the port.
 * Holds no logic of its own.
 */
import cluster from 'node:cluster';
import { createHttpApp, listen } from './app/http.ts';
import { checkPostgres, checkRedis, PreflightError } from './app/preflight.ts';
import { createServices } from './app/services.ts';
import { startWorkerRole } from './app/worker.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';
import { applyMigrations } from './infra/migrate.ts';
import { createLogger, type Logger } from './shared/logger.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Checks the services, migrates, seeds the demo and the first console login: once, before serving. */
async function prepare(config: Config, logger: Logger) {
  try {
    await checkPostgres(config);
    const redisInfo = await checkRedis(config);
    if (redisInfo.evictionPolicy && redisInfo.evictionPolicy !== 'noeviction') {
      logger.warn(
        { policy: redisInfo.evictionPolicy },
        'Redis maxmemory-policy should be noeviction for BullMQ (queued jobs could be evicted)',
      );
    }
  } catch (err) {
    if (err instanceof PreflightError) fail(err.message);
    throw err;
  }
  const applied = await applyMigrations(config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'database migrations applied');
  const services = createServices(config, { logger });
  try {
    const admin = await services.consoleAuth.bootstrap(
      config.console.adminEmail,
      config.console.adminPassword,
      config.env !== 'production',
    );
    if (admin.password) {
      logger.warn(
        `support console: log in at /console as ${config.console.adminEmail} with password ${admin.password} (set CONSOLE_ADMIN_PASSWORD to choose it)`,
      );
    } else if (!admin.created && config.env === 'production' && !config.console.adminPassword) {
      logger.info('support console: set CONSOLE_ADMIN_PASSWORD on first start to create its first login');
    }
    if (config.demo.seed) {
      const seeded = await seedDemoIfEmpty(services);
      if (seeded) logger.info({ accountId: seeded.accountId, userId: config.demo.userId }, 'demo account seeded');
    }
  } finally {
    await services.close();
  }
  if (config.generatedSecrets.length) {
    logger.warn(
      { generated: config.generatedSecrets },
      'secrets generated for this session (set them in the environment to keep them across restarts)',
    );
    if (config.generatedSecrets.includes('PLATFORM_API_KEY')) {
      logger.info(`platform API key for this session: ${config.platformApiKey}`);
    }
  }
}

/** Runs the role(s) in this process until SIGTERM/SIGINT. */
async function serve(config: Config, logger: Logger) {
  const services = createServices(config, { logger });
  const closers: Array<() => Promise<void>> = [];
  if (config.role !== 'worker') {
    const http = createHttpApp(services);
    const server = await listen(http.app, config.port);
    http.attach(server);
    await http.slack?.start();
    closers.push(async () => {
      await http.slack?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
    });
    logger.info({ port: config.port, role: config.role }, `listening on http://localhost:${config.port}`);
  }
  if (config.role !== 'web') {
    const worker = await startWorkerRole(services);
    closers.push(() => worker.close());
    logger.info({ role: config.role }, 'workers started');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    // Stop taking requests and jobs first, let running ones finish, then close the connections.
    for (const close of closers) await close().catch((err) => logger.error({ err }, 'error while closing'));
    await services.close();
    logger.info('bye');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Several processes on one port (node:cluster): the same roles, all cores used. */
function supervise(config: Config, logger: Logger) {
  // Secrets generated for this session must be the same in every process.
  const env = {
    PLATFORM_API_KEY: config.platformApiKey,
    DIRECT_LINE_SECRET: config.directLine.secret,
    CREDITBOT_CLUSTER_WORKER: '1',
  };
  let stopping = false;
  for (let i = 0; i < config.webConcurrency; i++) cluster.fork(env);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code, signal }, 'a server process died; starting another');
    cluster.fork(env);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the server processes');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    }, 100);
    setTimeout(() => {
      clearInterval(check);
      process.exit(1);
    }, 30_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createLogger({
    level: config.logLevel,
    pretty: config.env !== 'production' && process.stdout.isTTY,
    name: `creditbot-${config.role}`,
  });
  if (cluster.isWorker) return serve(config, logger);
  await prepare(config, logger);
  if (config.webConcurrency > 1) return supervise(config, logger);
  return serve(config, logger);
}

main().catch((err) => {
  console.error('Fatal error during start:', err);
  process.exit(1);
});
