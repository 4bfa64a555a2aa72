/** Real processes for fault tests: a Redis server we can stop, and worker processes we can SIGKILL. */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port: number, up: boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open === up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not become ${up ? 'open' : 'closed'}`);
}

/** A private redis-server on its own port (the shared one is used by other tests). */
export async function startRedis(port?: number) {
  const p = port ?? (await freePort());
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPort(p, true);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    async stop() {
      child?.kill('SIGKILL');
      await waitForPort(p, false);
    },
    start,
    async close() {
      child?.kill('SIGKILL');
    },
  };
}

/** `ROLE=worker` as its own process, like production. */
export function startWorkerProcess(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, ROLE: 'worker', SEED_DEMO: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d) => {
    output += d.toString();
  });
  return {
    child,
    output: () => output,
    async ready(ms = 30_000) {
      const deadline = Date.now() + ms;
      while (!output.includes('workers started')) {
        if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
        if (Date.now() > deadline) throw new Error(`worker not ready: ${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      child.kill(signal);
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
    },
  };
}
