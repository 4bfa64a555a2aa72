// `npm run build`, after tsc: copies what the compiled server reads from disk next to its JavaScript
// (the demo page's static files). prisma/ and prompts/ are read from the project root at run time.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'dist/web/public');
rmSync(target, { recursive: true, force: true });
cpSync(path.join(root, 'src/web/public'), target, { recursive: true });
