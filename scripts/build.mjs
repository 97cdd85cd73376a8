// `pnpm build`: each package's dist/ from a clean slate (a module removed from src must not
// linger in a tarball), in dependency order, since a package type-checks against the
// declarations of the ones it depends on.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const ORDER = ['core', 'react', 'ai-sdk', 'assistant-ui', 'tanstack-ai'];
const tsc = resolve(ROOT, 'node_modules/.bin/tsc');
for (const pkg of ORDER) {
  const dir = resolve(ROOT, 'packages', pkg);
  rmSync(resolve(dir, 'dist'), { recursive: true, force: true });
  execFileSync(tsc, ['-p', resolve(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
  console.log(`built @ai-session-manager/${pkg}`);
}
