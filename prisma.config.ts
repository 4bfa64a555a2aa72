// For the Prisma CLI where it can download its engine (`npx prisma migrate deploy` gives the same result
// as `npm run db:migrate`). This project itself migrates offline through the WebAssembly engine.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/creditbot' },
});
