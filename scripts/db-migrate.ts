/** `npm run db:migrate`: applies pending migrations from prisma/migrations (like `prisma migrate deploy`). */
import { loadConfig } from '../src/config.ts';
import { ensureDatabase } from '../src/infra/db.ts';
import { applyMigrations } from '../src/infra/migrate.ts';

const config = loadConfig();
if (config.env !== 'production') await ensureDatabase(config.databaseUrl);
const applied = await applyMigrations(config.databaseUrl);
console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
