import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DEMO_DIR, VITE_BIN } from './paths';

export interface ViteServer {
  url: string;
  pid: number;
  /** What vite printed so far (its banner names the address). */
  output(): string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Serve apps/demo/dist with `vite preview --host 127.0.0.1 --port <free> --strictPort`; stop() kills it by PID. */
export function startPreview(): Promise<ViteServer> {
  return startVite(['preview']);
}

/** The demo's dev server (`vite --host 127.0.0.1`, as `pnpm demo` runs it) on a free port. */
export function startDevServer(): Promise<ViteServer> {
  return startVite([]);
}

async function startVite(command: string[]): Promise<ViteServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [VITE_BIN, ...command, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: DEMO_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('vite did not start');
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, child, () => output);
  } catch (error) {
    await kill(child, pid);
    throw error;
  }
  return { url, pid, output: () => output, stop: () => kill(child, pid) };
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`vite did not answer on ${url} within 30 s:\n${output()}`);
}

async function kill(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
