// Benchmark 6 and its CI check (`pnpm size`): what an app ships. Each scenario in bench/size/ is
// a few lines of an app using the public API by package name; it is bundled tree-shaken and
// minified as an app's bundler would, and everything it loads up front (its entry chunk and every
// chunk that imports statically) is gzipped as one file, once with Dexie external and once with
// Dexie bundled. Libraries the app already has (React, the AI SDK, assistant-ui, TanStack) stay
// external; zustand is our react package's dependency, so it counts. The exact tokenizer's ranks,
// the price catalog, zod and the tokenizer worker must load lazily only. Exits 1 over a limit or
// on a lazy-load violation.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
/** Core's tokenizer worker: started with `new Worker(new URL(…))`, so bundlers emit it on its own. */
const WORKER_ENTRY = 'packages/core/src/tokens/tokenWorker.ts';
/** The peers an app brings itself: never counted. */
const PEERS = ['react', 'react-dom', 'ai', '@ai-sdk/*', '@assistant-ui/*', '@tanstack/*'];
/** Dependencies that must never load up front; external here, so only their import kind matters. */
const LAZY_ONLY = ['js-tiktoken', '@pydantic/genai-prices', 'zod'];
const isLazyOnly = (path) => LAZY_ONLY.some((name) => path === name || path.startsWith(`${name}/`));

/**
 * min+gzip limits in bytes (kB as in size-limit: 1000 B): `external` with Dexie left out (our own
 * code), `bundled` with Dexie in. Each is the measurement in BENCHMARKS.md plus 5%, rounded up to
 * 0.1 kB. Core loads its own code statically (only the ranks, price catalog, exact counter and
 * document schema load on demand, and since issue 22 the file machinery: Blobs, hashing, the
 * image token rules), so what loads up front is what the app uses.
 */
export const SCENARIOS = [
  { name: 'typical', entry: 'bench/size/typical.ts', limit: { external: 24_100, bundled: 58_300 } },
  // typical's code and more: never a lower limit than typical's.
  {
    name: 'streamingBranches',
    entry: 'bench/size/streamingBranches.ts',
    limit: { external: 24_200, bundled: 58_500 },
  },
  { name: 'react', entry: 'bench/size/react.tsx', limit: { external: 31_300, bundled: 65_500 } },
  { name: 'aiSdk', entry: 'bench/size/aiSdk.ts', limit: { external: 30_400, bundled: 64_600 } },
  { name: 'aiSdkReact', entry: 'bench/size/aiSdkReact.ts', limit: { external: 31_600, bundled: 65_900 } },
  { name: 'assistantUi', entry: 'bench/size/assistantUi.tsx', limit: { external: 31_800, bundled: 66_100 } },
  { name: 'tanstackAi', entry: 'bench/size/tanstackAi.ts', limit: { external: 33_100, bundled: 67_300 } },
];
/** The worker entry as a bundler emits it (ranks still lazy inside it), min+gzip. */
export const WORKER_LIMIT_BYTES = 600;

const withSubpaths = (names) => names.flatMap((name) => (name.endsWith('/*') ? [name] : [name, `${name}/*`]));

/** Bundle `entry` as an app would, `external` left out; the outputs and the chunks it loads up front. */
async function bundle(entry, external) {
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
    external: withSubpaths(external),
    outdir: 'bench/.tmp/size',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const contents = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const outputs = result.metafile.outputs;
  const entryChunk = Object.keys(outputs).find((path) => outputs[path].entryPoint === entry);
  // The entry chunk and everything it reaches through static imports: what loads before the app runs.
  const upFront = [entryChunk];
  const staticExternals = new Set();
  for (let i = 0; i < upFront.length; i++) {
    for (const imported of outputs[upFront[i]].imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) staticExternals.add(imported.path);
      else if (!upFront.includes(imported.path)) upFront.push(imported.path);
    }
  }
  const upFrontBytes = Buffer.concat(upFront.map((path) => contents.get(resolve(ROOT, path))));
  const inputs = upFront.flatMap((path) => Object.entries(outputs[path].inputs));
  const everything = Buffer.concat(
    result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => f.contents),
  );
  return {
    outputs,
    upFront,
    staticExternals,
    minified: upFrontBytes.length,
    gzip: gzipSync(upFrontBytes, { level: 9 }).length,
    /** Up front and lazy chunks together: everything the app may load (not gated). */
    everythingGzip: gzipSync(everything, { level: 9 }).length,
    /** Source files by minified bytes they put up front: what to look at when over a limit. */
    contributors: inputs
      .map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}

/** One scenario, Dexie external and bundled, with what it imports up front that must be lazy. */
async function measureScenario(scenario) {
  const [external, bundled] = await Promise.all([
    bundle(scenario.entry, [...PEERS, ...LAZY_ONLY, 'dexie']),
    bundle(scenario.entry, [...PEERS, ...LAZY_ONLY]),
  ]);
  const violations = [...bundled.staticExternals]
    .filter(isLazyOnly)
    .map((path) => `imports ${path} up front`);
  if (bundled.contributors.some((c) => c.input === WORKER_ENTRY))
    violations.push(`${WORKER_ENTRY} is up front`);
  return {
    ...scenario,
    external: external.gzip,
    bundled: bundled.gzip,
    everything: external.everythingGzip,
    pass: external.gzip <= scenario.limit.external && bundled.gzip <= scenario.limit.bundled,
    violations: violations.map((violation) => `${scenario.name}: ${violation}`),
    contributors: bundled.contributors,
  };
}

/**
 * Where an app's bundler puts the lazy-only dependencies when it bundles them too: none of their
 * code up front, and each rank file in a lazy chunk of its own.
 */
async function lazyChunks(entry) {
  const { outputs, upFront, contributors } = await bundle(entry, PEERS);
  const violations = LAZY_ONLY.filter((name) =>
    contributors.some((c) => c.input.includes(`node_modules/${name}/`)),
  ).map((name) => `${name} is up front when bundled`);
  const rankChunks = [];
  for (const [path, output] of Object.entries(outputs)) {
    const ranks = Object.keys(output.inputs).filter((input) => /js-tiktoken\/dist\/ranks\//.test(input));
    if (ranks.length) rankChunks.push({ path, ranks, upFront: upFront.includes(path), bytes: output.bytes });
  }
  for (const chunk of rankChunks) {
    if (chunk.ranks.length > 1) violations.push(`${chunk.path} holds ${chunk.ranks.length} rank files`);
    if (chunk.upFront) violations.push(`${chunk.path} (ranks) loads up front`);
  }
  if (rankChunks.length === 0) violations.push('no chunk holds js-tiktoken ranks: are they still imported?');
  return { rankChunks, violations };
}

/**
 * The tokenizer worker as a bundler emits it: its own entry, started by URL from the client,
 * with the ranks still behind dynamic imports.
 */
async function workerChunk() {
  const { staticExternals, gzip, minified } = await bundle(WORKER_ENTRY, [...PEERS, ...LAZY_ONLY, 'dexie']);
  const violations = [];
  // The URL the client starts it from must name this entry (`.js`, which bundlers map to `.ts`).
  const client = readFileSync(resolve(ROOT, WORKER_ENTRY, '../tokenWorkerClient.ts'), 'utf8');
  const url = /new Worker\(new URL\('\.\/(\w+)\.js', import\.meta\.url\)/.exec(client)?.[1];
  if (`packages/core/src/tokens/${url}.ts` !== WORKER_ENTRY) {
    violations.push(`tokenWorkerClient.ts does not start ${WORKER_ENTRY} with new Worker(new URL(…))`);
  }
  const eager = [...staticExternals].filter(isLazyOnly);
  if (eager.length) violations.push(`the worker imports statically: ${eager.join(', ')}`);
  return { gzip, minified, pass: gzip <= WORKER_LIMIT_BYTES, violations };
}

export async function measureSize() {
  const [scenarios, lazy, worker] = await Promise.all([
    Promise.all(SCENARIOS.map(measureScenario)),
    lazyChunks(SCENARIOS.find((s) => s.name === 'streamingBranches').entry),
    workerChunk(),
  ]);
  return {
    scenarios,
    rankChunks: lazy.rankChunks,
    worker,
    violations: [...scenarios.flatMap((s) => s.violations), ...lazy.violations, ...worker.violations],
  };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

async function main() {
  const started = performance.now();
  const size = await measureSize();
  const why = process.argv.find((arg) => arg.startsWith('--why='))?.slice('--why='.length);
  console.log('what loads up front, min+gzip as one file; peers external:', PEERS.join(', '));
  console.log(
    '| scenario | Dexie external | Dexie bundled | limit (external / bundled) | pass | with lazy chunks, Dexie external (not gated) |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const s of size.scenarios) {
    console.log(
      `| ${s.name} | ${kB(s.external)} | ${kB(s.bundled)} | ${kB(s.limit.external)} / ${kB(s.limit.bundled)} | ${s.pass ? 'yes' : '**no**'} | ${kB(s.everything)} |`,
    );
    if (s.name === why) {
      for (const c of s.contributors.slice(0, 20))
        console.log(`    ${String(c.bytes).padStart(7)} B  ${c.input}`);
    }
  }
  for (const chunk of size.rankChunks) {
    console.log(
      `ranks chunk (js-tiktoken bundled): ${chunk.path}, ${kB(chunk.bytes)} min, ${chunk.upFront ? 'UP FRONT' : 'lazy'}`,
    );
  }
  console.log(
    `tokenizer worker entry (its own file): ${kB(size.worker.gzip)} min+gzip (limit ${kB(WORKER_LIMIT_BYTES)}), ${kB(size.worker.minified)} min`,
  );
  const over = size.scenarios.filter((s) => !s.pass);
  for (const s of over)
    console.error(`FAIL: ${s.name} is over its limit (--why=${s.name} lists its largest sources)`);
  for (const violation of size.violations) console.error(`FAIL: must load lazily: ${violation}`);
  if (!size.worker.pass) console.error(`FAIL: the tokenizer worker entry is over ${kB(WORKER_LIMIT_BYTES)}`);
  const failed = over.length > 0 || !size.worker.pass || size.violations.length > 0;
  console.log(
    `${failed ? 'size check failed' : 'size check passed'} in ${((performance.now() - started) / 1000).toFixed(2)} s`,
  );
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
