// esbuild builds for the benchmarks: workspace packages resolve to their TypeScript source
// (the `source` export condition), exactly as tests and the demo use them.
import { build } from 'esbuild';

/** Browser pages: ESM with code splitting, so ranks stay lazy chunks as in a real app build. */
export function buildBrowser(root, entryPoints, outdir) {
  return build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    conditions: ['@ai-session-manager/source'],
    logLevel: 'warning',
  });
}

/** Node scripts: one ESM file each; `require` is provided for CommonJS dependencies. */
export function buildNode(root, entryPoints, outdir) {
  return build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@ai-session-manager/source'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
