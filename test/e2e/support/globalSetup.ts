import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './chromium';
import { DEMO_DIR, VITE_BIN } from './paths';

/** Build the demo once for the whole suite (`vite build` in apps/demo). */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's Chromium with \`apt-get update && apt-get install -y chromium\`.`,
    );
  }
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [VITE_BIN, 'build', '--logLevel', 'warn'], {
      cwd: DEMO_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`)),
    );
  });
  console.log(`e2e: demo built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
