/**
 * Entry point: `npm start`. Loads the config, checks PostgreSQL and Redis, applies migrations,
 * seeds the demo account on an empty database (outside production), then runs the HTTP server
 * and/or the workers (ROLE=all|web|worker). Holds no logic of its own.
 */
import { createHttpApp, listen } from './app/http.ts';
import { checkPostgres, checkRedis, PreflightError } from './app/preflight.ts';
import { createServices } from './app/services.ts';
import { startWorkerRole } from './app/worker.ts';
import { ConfigError, loadConfig } from './config.ts';
import { applyMigrations } from './db/migrate.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';
import { createLogger } from './shared/logger.ts';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({
    level: config.logLevel,
    pretty: config.env !== 'production' && process.stdout.isTTY,
    name: `creditbot-${config.role}`,
  });

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
    if (err instanceof PreflightError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  const applied = await applyMigrations(config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'database migrations applied');
  const services = createServices(config, { logger });
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
    logger.info(
      'support console: no operator is created automatically in production; set CONSOLE_ADMIN_PASSWORD on first start',
    );
  }
  if (config.demo.seed) {
    const seeded = await seedDemoIfEmpty(services);
    if (seeded) logger.info({ accountId: seeded.accountId }, 'demo account seeded');
  }

  const closers: Array<() => Promise<void>> = [];
  if (config.role !== 'worker') {
    const http = createHttpApp(services);
    const server = await listen(http.app, config.port);
    http.attach(server);
    await http.slack?.start();
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5_000).unref();
        }),
    );
    logger.info({ port: config.port, role: config.role }, `listening on http://localhost:${config.port}`);
  }
  if (config.role !== 'web') {
    const worker = await startWorkerRole(services);
    closers.push(() => worker.close());
    logger.info({ role: config.role }, 'workers started');
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
    for (const close of closers) await close().catch((err) => logger.error({ err }, 'error while closing'));
    await services.close();
    logger.info('bye');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('Fatal error during start:', err);
  process.exit(1);
});
