import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEMO_DIR = fileURLToPath(new URL('../../../apps/demo/', import.meta.url));
export const DEMO_SRC = fileURLToPath(new URL('../../../apps/demo/src/', import.meta.url));
export const DEMO_DIST = fileURLToPath(new URL('../../../apps/demo/dist/', import.meta.url));
/** The demo package's own vite (its devDependency), run with this Node. */
export const VITE_BIN = fileURLToPath(
  new URL('../../../apps/demo/node_modules/vite/bin/vite.js', import.meta.url),
);
/** Screenshots and other artifacts (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-results/e2e/', import.meta.url));
