// Benchmark 6 and its CI check (`pnpm size`): core's own code, min+gzip, must stay within the
// limit, and the multi-megabyte ranks (and the price catalog) must only load through dynamic
// import, i.e. never be part of what an app downloads up front. Exits 1 otherwise.
// Dependencies are external: they are measured by their own authors, and an app shares them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const ENTRY = 'packages/core/src/index.ts';
/** Core's tokenizer worker: started with `new Worker(new URL(…))`, so bundlers emit it on its own. */
const WORKER_ENTRY = 'packages/core/src/tokens/tokenWorker.ts';
/** Bytes of min+gzip for everything an app loads up front from core (kB as in size-limit: 1000 B). */
export const LIMIT_BYTES = 15_000;
const EXTERNAL = ['dexie', 'zod', '@pydantic/genai-prices', 'js-tiktoken'];
/** Imports that must never be static from the entry chunk's closure. */
const MUST_BE_LAZY = [/^js-tiktoken\/ranks\//, /^@pydantic\/genai-prices/];

/** Bundle core with `external` left out; returns the outputs and which of them load up front. */
async function bundle(external, entry = ENTRY) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    conditions: ['@ai-session-manager/source'],
    external: external.flatMap((name) => [name, `${name}/*`]),
    outdir: 'bench/.tmp/size',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const contents = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const outputs = result.metafile.outputs;
  const entryChunk = Object.keys(outputs).find((path) => outputs[path].entryPoint === entry);
  // Everything reachable from the entry through static imports loads up front.
  const upFront = new Set([entryChunk]);
  const queue = [entryChunk];
  const staticExternals = new Set();
  while (queue.length) {
    for (const imported of outputs[queue.shift()].imports) {
      if (imported.external) {
        if (imported.kind === 'import-statement') staticExternals.add(imported.path);
      } else if (imported.kind === 'import-statement' && !upFront.has(imported.path)) {
        upFront.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  const dynamicExternals = new Set();
  for (const output of Object.values(outputs)) {
    for (const imported of output.imports) {
      if (imported.external && imported.kind === 'dynamic-import') dynamicExternals.add(imported.path);
    }
  }
  const gzipOf = (path) => gzipSync(contents.get(resolve(ROOT, path)), { level: 9 }).length;
  // Source files by minified bytes they put in up-front chunks: what to look at when over the limit.
  const contributors = [...upFront]
    .flatMap((path) => Object.entries(outputs[path].inputs))
    .map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { outputs, upFront, staticExternals, dynamicExternals, gzipOf, contributors };
}

/**
 * Where an app's bundler would put the ranks when it bundles js-tiktoken too: each rank file
 * must sit in a lazy chunk (not reachable statically from the entry) with no other rank file.
 */
async function rankChunks() {
  const { outputs, upFront } = await bundle(EXTERNAL.filter((name) => name !== 'js-tiktoken'));
  const chunks = [];
  for (const [path, output] of Object.entries(outputs)) {
    const ranks = Object.keys(output.inputs).filter((input) => /js-tiktoken\/dist\/ranks\//.test(input));
    if (ranks.length) chunks.push({ path, ranks, upFront: upFront.has(path), bytes: output.bytes });
  }
  return chunks;
}

/**
 * The tokenizer worker as a bundler emits it: its own entry, never part of the page's up-front
 * code (esbuild does not follow `new URL()`, so core's bundle above cannot contain it either way;
 * this checks the source side), with the ranks still behind dynamic imports.
 */
async function workerChunk(upFrontInputs) {
  const { outputs, upFront, staticExternals, gzipOf } = await bundle(EXTERNAL, WORKER_ENTRY);
  const violations = [];
  if (upFrontInputs.has(WORKER_ENTRY)) violations.push(`${WORKER_ENTRY} is in core's up-front code`);
  // The URL the client starts it from must name this entry (`.js`, which bundlers map to `.ts`).
  const client = readFileSync(resolve(ROOT, WORKER_ENTRY, '../tokenWorkerClient.ts'), 'utf8');
  const url = /new Worker\(new URL\('\.\/(\w+)\.js', import\.meta\.url\)/.exec(client)?.[1];
  if (`packages/core/src/tokens/${url}.ts` !== WORKER_ENTRY) {
    violations.push(`tokenWorkerClient.ts does not start ${WORKER_ENTRY} with new Worker(new URL(…))`);
  }
  const eager = [...staticExternals].filter((path) => MUST_BE_LAZY.some((pattern) => pattern.test(path)));
  if (eager.length) violations.push(`the worker imports statically: ${eager.join(', ')}`);
  const chunks = [...upFront];
  return {
    gzip: chunks.reduce((sum, path) => sum + gzipOf(path), 0),
    minified: chunks.reduce((sum, path) => sum + outputs[path].bytes, 0),
    violations,
  };
}

export async function measureSize() {
  const { outputs, upFront, staticExternals, dynamicExternals, gzipOf, contributors } =
    await bundle(EXTERNAL);
  const chunks = Object.keys(outputs)
    .filter((path) => path.endsWith('.js'))
    .map((path) => ({ path, upFront: upFront.has(path), minified: outputs[path].bytes, gzip: gzipOf(path) }));
  const sum = (list, key) => list.reduce((total, chunk) => total + chunk[key], 0);
  const eager = chunks.filter((c) => c.upFront);
  const lazy = chunks.filter((c) => !c.upFront);
  const eagerViolations = [...staticExternals].filter((path) =>
    MUST_BE_LAZY.some((pattern) => pattern.test(path)),
  );
  const ranks = await rankChunks();
  const worker = await workerChunk(new Set(contributors.map((c) => c.input)));
  const rankViolations = ranks
    .filter((chunk) => chunk.upFront || chunk.ranks.length > 1)
    .map((chunk) => `${chunk.path} (${chunk.ranks.join(', ')}${chunk.upFront ? ', loaded up front' : ''})`);
  if (ranks.length === 0) rankViolations.push('no chunk holds js-tiktoken ranks: are they still imported?');

  return {
    limit: LIMIT_BYTES,
    upFrontGzip: sum(eager, 'gzip'),
    upFrontMinified: sum(eager, 'minified'),
    lazyGzip: sum(lazy, 'gzip'),
    chunks,
    staticExternals: [...staticExternals].sort(),
    dynamicExternals: [...dynamicExternals].sort(),
    eagerViolations: [...eagerViolations, ...worker.violations],
    worker,
    rankChunks: ranks,
    rankViolations,
    contributors,
  };
}

/** Other packages of the workspace: reported, not gated (their dependencies, core included, external). */
const REPORTED = [
  {
    name: '@ai-session-manager/ai-sdk',
    entries: ['packages/ai-sdk/src/index.ts', 'packages/ai-sdk/src/react.ts'],
    external: ['@ai-session-manager/core', 'ai', '@ai-sdk/react', 'react'],
  },
  {
    name: '@ai-session-manager/assistant-ui',
    entries: ['packages/assistant-ui/src/index.ts'],
    external: ['@ai-session-manager/core', '@assistant-ui/react', 'react'],
  },
  {
    name: '@ai-session-manager/tanstack-ai',
    entries: ['packages/tanstack-ai/src/index.ts'],
    external: ['@ai-session-manager/core', '@tanstack/ai-client', '@tanstack/ai'],
  },
];

/** min+gzip of what each entry of `pkg` loads up front. */
export async function measurePackage(pkg) {
  const entries = [];
  for (const entry of pkg.entries) {
    const { outputs, upFront, gzipOf } = await bundle([...EXTERNAL, ...pkg.external], entry);
    const chunks = [...upFront];
    entries.push({
      entry,
      gzip: chunks.reduce((sum, path) => sum + gzipOf(path), 0),
      minified: chunks.reduce((sum, path) => sum + outputs[path].bytes, 0),
    });
  }
  return { name: pkg.name, external: pkg.external, entries };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

async function main() {
  const started = performance.now();
  const size = await measureSize();
  console.log(`core (${ENTRY}), minified + gzip -9, dependencies external (${EXTERNAL.join(', ')})`);
  for (const chunk of size.chunks) {
    console.log(
      `  ${chunk.upFront ? 'up front' : 'lazy    '}  ${kB(chunk.gzip).padStart(9)} gz  ${kB(chunk.minified).padStart(9)} min  ${chunk.path}`,
    );
  }
  const top = size.contributors.slice(0, process.env.SIZE_TOP ? Number(process.env.SIZE_TOP) : 8);
  console.log(
    `  largest up-front sources (minified bytes): ${top.map((c) => `${c.input.replace('packages/core/src/', '')} ${c.bytes}`).join(', ')}`,
  );
  console.log(`  static imports:  ${size.staticExternals.join(', ') || '(none)'}`);
  console.log(`  dynamic imports: ${size.dynamicExternals.join(', ') || '(none)'}`);
  for (const chunk of size.rankChunks) {
    console.log(
      `  ranks chunk (js-tiktoken bundled): ${chunk.path}, ${kB(chunk.bytes)} min, ${chunk.upFront ? 'UP FRONT' : 'lazy'}`,
    );
  }
  console.log(
    `  tokenizer worker (its own chunk, lazy): ${kB(size.worker.gzip)} gz  ${kB(size.worker.minified)} min  ${WORKER_ENTRY}`,
  );
  console.log(
    `up front: ${kB(size.upFrontGzip)} min+gzip (limit ${kB(size.limit)}); lazy core code: ${kB(size.lazyGzip)}`,
  );
  for (const pkg of REPORTED) {
    const measured = await measurePackage(pkg);
    for (const entry of measured.entries) {
      console.log(
        `${measured.name} (${entry.entry}): ${kB(entry.gzip)} min+gzip, ${kB(entry.minified)} min, external ${measured.external.join(', ')} (reported, not gated)`,
      );
    }
  }
  let failed = false;
  if (size.upFrontGzip > size.limit) {
    console.error(`FAIL: core loads ${kB(size.upFrontGzip)} up front, over the ${kB(size.limit)} limit.`);
    failed = true;
  }
  if (size.eagerViolations.length) {
    console.error(`FAIL: must load lazily: ${size.eagerViolations.join(', ')}`);
    failed = true;
  }
  if (size.rankViolations.length) {
    console.error(`FAIL: ranks must each be in their own lazy chunk: ${size.rankViolations.join('; ')}`);
    failed = true;
  }
  console.log(
    `${failed ? 'size check failed' : 'size check passed'} in ${((performance.now() - started) / 1000).toFixed(2)} s`,
  );
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
