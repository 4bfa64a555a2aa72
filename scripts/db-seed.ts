/** `npm run db:seed [-- --reset]`: creates the demo account of the View Usage page. */
import { loadConfig } from '../src/config.ts';
import { DEMO_ACCOUNT_ID, deleteDemo, seedDemo } from '../src/demo/seed.ts';
import { createDb, ensureDatabase } from '../src/infra/db.ts';
import { applyMigrations } from '../src/infra/migrate.ts';
import { systemClock } from '../src/shared/clock.ts';

const config = loadConfig();
if (config.env !== 'production') await ensureDatabase(config.databaseUrl);
await applyMigrations(config.databaseUrl);
const db = createDb({ url: config.databaseUrl });
try {
  const { rows } = await db.sql('SELECT 1 FROM account WHERE id = $1', [DEMO_ACCOUNT_ID]);
  if (rows.length && !process.argv.includes('--reset')) {
    console.log(`The demo account ${DEMO_ACCOUNT_ID} exists already (run with -- --reset to recreate it as of now).`);
  } else {
    if (rows.length) await deleteDemo(db);
    const r = await seedDemo({ db, clock: systemClock });
    console.log(
      `Seeded ${r.accountId}: ${r.usageEvents} usage events, ${r.conversationEvents} conversation events; period ${r.period.start.toISOString()} – ${r.period.end.toISOString()}.`,
    );
  }
} finally {
  await db.close();
}
