// Generates the Prisma client offline. `prisma generate` does not use the schema engine, but the CLI
// insists on finding one at start; any existing file satisfies it (see docs/operations.md, "Prisma without internet").
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma/schema.prisma');
const marker = path.join(root, 'src/generated/prisma/client.ts');
if (existsSync(marker) && statSync(marker).mtimeMs > statSync(schema).mtimeMs && !process.argv.includes('--force')) {
  process.exit(0);
}
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schema };
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const bin = path.join(root, 'node_modules/prisma/build/index.js');
const r = spawnSync(process.execPath, [bin, 'generate', '--schema', schema], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (r.status !== 0) {
  console.error('prisma generate failed');
  process.exit(r.status ?? 1);
}
