// `pnpm bench [--quick] [--only=size,append,query,tokens,longtask,node,demo,sessions,attachments]`
// Builds the benchmark pages and scripts into bench/.tmp, runs the benchmarks in Debian's
// Chromium (real, on-disk IndexedDB) and, as secondary figures, in Node, then prints one table.
// Progress goes to stderr; the table (markdown) goes to stdout and to bench/.tmp/latest.md.
import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachmentsBench } from './attachments.mjs';
import { CHROMIUM_PATH, launchChromium, launchPersistentChromium, serveDir } from './browser/chromium.mjs';
import { buildBrowser, buildNode } from './lib/bundle.mjs';
import { demoOpenBench, prepareDemoBench, sessionsBench } from './lib/demoBench.mjs';
import { loadCorpus } from './lib/corpus.mjs';
import { formatTable, longTaskRows, sizeRows } from './lib/report.mjs';
import { measureSize } from './size.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const TMP = join(ROOT, 'bench', '.tmp');
const WWW = join(TMP, 'www');
const NODE_OUT = join(TMP, 'node');
const PROFILE = join(TMP, 'profile');
const REFERENCE = join(ROOT, 'test', 'fixtures', 'tiktoken-reference.json');

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
const enabled = (name) => !only || only.has(name);

// Full sizes are the acceptance criteria's; --quick is a smoke run that exercises every path.
const CONFIG = quick
  ? {
      corpus: { corpusBytes: 200_000, messageCount: 200 },
      append: { sizes: [100, 1000], iterations: 20, warmup: 3 },
      query: {
        sizes: [1000, 10_000],
        eventsPerSegment: 20,
        iterations: 10,
        warmup: 2,
        maxTokens: 8000,
        sameHeadEvents: 200,
      },
      tokens: { passes: 2 },
      longTaskRuns: 1,
      demo: {
        sizes: [
          { events: 1000, segments: 50 },
          { events: 10_000, segments: 500 },
        ],
        runs: 2,
      },
      sessions: { conversations: 1000, limit: 50, runs: 2 },
    }
  : {
      corpus: { corpusBytes: 1_000_000, messageCount: 1000 },
      append: { sizes: [100, 1000, 10_000], iterations: 150, warmup: 15 },
      query: {
        sizes: [1000, 100_000],
        eventsPerSegment: 20,
        iterations: 100,
        warmup: 10,
        maxTokens: 8000,
        sameHeadEvents: 200,
      },
      tokens: { passes: 7 },
      longTaskRuns: 8,
      // Segments grow with history at the default maxTurnsPerSegment (20 events per segment).
      demo: {
        sizes: [
          { events: 1000, segments: 50 },
          { events: 100_000, segments: 5000 },
        ],
        runs: 7,
      },
      sessions: { conversations: 10_000, limit: 50, runs: 7 },
    };

const log = (line) => process.stderr.write(`${line}\n`);

async function prepare() {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(WWW, { recursive: true });
  const data = loadCorpus(ROOT, CONFIG.corpus);
  log(
    `corpus: ${data.bytes.toLocaleString('en-US')} bytes of markdown from ${data.files} files; ${data.messages.length} messages`,
  );
  writeFileSync(join(WWW, 'data.json'), JSON.stringify({ corpus: data.corpus, messages: data.messages }));
  for (const page of ['bench', 'longtask']) {
    writeFileSync(
      join(WWW, `${page}.html`),
      `<!doctype html><meta charset="utf-8"><title>${page}</title><link rel="icon" href="data:,"><script type="module" src="./${page}Page.js"></script>\n`,
    );
  }
  const started = performance.now();
  // Core's tokenizer worker is emitted next to the chunks as tokenWorker.js, where core's
  // `new URL('./tokenWorker.js', import.meta.url)` finds it (esbuild does not follow that URL).
  await buildBrowser(
    ROOT,
    [
      { in: 'bench/browser/benchPage.ts', out: 'benchPage' },
      { in: 'bench/browser/longtaskPage.ts', out: 'longtaskPage' },
      { in: 'packages/core/src/tokens/tokenWorker.ts', out: 'tokenWorker' },
    ],
    WWW,
  );
  await buildNode(ROOT, ['bench/node/storage.mjs', 'bench/node/tokens.mjs'], NODE_OUT);
  if (enabled('demo') || enabled('sessions')) await prepareDemoBench(ROOT, WWW);
  log(`built pages and node scripts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return data;
}

async function openPage(context, url) {
  const page = await context.newPage();
  page.on('console', (message) => log(`  [chromium] ${message.text()}`));
  page.on('pageerror', (error) => log(`  [chromium] page error: ${error.message}`));
  await page.goto(url);
  return page;
}

/** Benchmarks 1–4 in one persistent (on-disk) profile, each in a fresh page. */
async function chromiumBenches(url) {
  const rows = [];
  const context = await launchPersistentChromium(PROFILE);
  try {
    const runs = [
      ['append', CONFIG.append],
      ['query', CONFIG.query],
      ['tokens', CONFIG.tokens],
    ];
    for (const [name, options] of runs) {
      if (!enabled(name)) continue;
      const started = performance.now();
      const page = await openPage(context, `${url}/bench.html`);
      await page.waitForFunction(() => 'bench' in window);
      rows.push(...(await page.evaluate(([n, o]) => window.bench[n](o), [name, options])));
      await page.close();
      log(`chromium ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await context.close();
  }
  return rows;
}

/** The demo-open and useSessions benchmarks in their own on-disk profile: the demo's database and a list of many conversations. */
async function demoBenches(url) {
  const rows = [];
  const context = await launchPersistentChromium(join(TMP, 'profile-demo'));
  try {
    for (const [name, run] of [
      ['demo', demoOpenBench],
      ['sessions', sessionsBench],
    ]) {
      if (!enabled(name)) continue;
      const started = performance.now();
      rows.push(...(await run(context, url, CONFIG[name], log)));
      log(`chromium ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await context.close();
  }
  return rows;
}

/** Benchmark 5: every run in a fresh off-the-record context, so no cache or built encoder. */
async function longTasks(url) {
  const browser = await launchChromium();
  const results = { core: [], sync: [], mainThread: [], parts: [] };
  try {
    for (let run = 0; run < CONFIG.longTaskRuns; run++) {
      for (const mode of Object.keys(results)) {
        const context = await browser.newContext();
        const page = await openPage(context, `${url}/longtask.html`);
        await page.waitForFunction(() => 'longTask' in window);
        results[mode].push(await page.evaluate((m) => window.longTask(m), mode));
        await context.close();
      }
    }
    return results;
  } finally {
    await browser.close();
  }
}

/** A bundled Node benchmark in its own process (cold tokenizer loads, its own heap). */
function nodeBench(script, options) {
  const optionsFile = join(NODE_OUT, `${script}.options.json`);
  const outFile = join(NODE_OUT, `${script}.out.json`);
  writeFileSync(
    optionsFile,
    JSON.stringify({ ...options, dataFile: join(WWW, 'data.json'), referenceFile: REFERENCE }),
  );
  const started = performance.now();
  const child = spawnSync(process.execPath, [join(NODE_OUT, `${script}.mjs`), optionsFile, outFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`node ${script} benchmark failed (exit ${child.status})`);
  log(`node ${script}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return JSON.parse(readFileSync(outFile, 'utf8'));
}

function machine() {
  const cpu = cpus();
  // The user agent reports a reduced version (156.0.0.0); the binary knows the full one.
  const chromium = /Chromium ([\d.]+)/.exec(
    spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).stdout ?? '',
  )?.[1];
  const lscpu = spawnSync('lscpu', { encoding: 'utf8' }).stdout ?? '';
  const model = /Model name:\s*(.+)/.exec(lscpu)?.[1] ?? cpu[0]?.model ?? 'unknown';
  return [
    `CPU: ${model.trim()}, ${cpu.length} cores (nproc); ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Linux ${release()}`,
    `Chromium ${chromium ?? '(not found)'} (headless, ${CHROMIUM_PATH} via playwright-core); Node ${process.version}`,
  ];
}

async function main() {
  const started = performance.now();
  log(`pnpm bench${quick ? ' --quick' : ''}${onlyArg ? ` ${onlyArg}` : ''}`);
  await prepare();
  const rows = [];
  if (enabled('size')) rows.push(...sizeRows(await measureSize()));

  const server = await serveDir(WWW, { crossOriginIsolated: true });
  try {
    rows.push(...(await chromiumBenches(server.url)));
    if (enabled('demo') || enabled('sessions')) rows.push(...(await demoBenches(server.url)));
    if (enabled('longtask')) rows.push(...longTaskRows(await longTasks(server.url)));
  } finally {
    await server.close();
  }
  // Its own page, server and on-disk profile (bench/.tmp/attachments).
  if (enabled('attachments')) rows.push(...(await attachmentsBench({ quick, log })));
  // Node runs last: on a 2-core machine they would otherwise compete with Chromium.
  if (enabled('tokens')) rows.push(...nodeBench('tokens', CONFIG.tokens));
  if (enabled('node')) rows.push(...nodeBench('storage', { append: CONFIG.append, query: CONFIG.query }));

  const sorted = rows.sort((a, b) => a.bench.localeCompare(b.bench, 'en', { numeric: true }));
  const lines = [
    ...machine(),
    `Command: pnpm bench${quick ? ' --quick' : ''}; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
    '',
    formatTable(sorted),
  ];
  const output = `${lines.join('\n')}\n`;
  writeFileSync(join(TMP, 'latest.md'), output);
  writeFileSync(join(TMP, 'results.json'), JSON.stringify(sorted, null, 2));
  process.stdout.write(output);
}

await main();
