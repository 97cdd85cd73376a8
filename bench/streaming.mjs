// `node bench/streaming.mjs [--quick]`: streamed-reply figures in Debian's Chromium with an
// on-disk profile (real IndexedDB). Prints markdown rows for BENCHMARKS.md.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchPersistentChromium, serveDir } from './browser/chromium.mjs';
import { buildBrowser } from './lib/bundle.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const TMP = join(ROOT, 'bench', '.tmp', 'streaming');
const quick = process.argv.includes('--quick');

rmSync(TMP, { recursive: true, force: true });
mkdirSync(join(TMP, 'www'), { recursive: true });
writeFileSync(
  join(TMP, 'www', 'index.html'),
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./streamingPage.js"></script>\n',
);
await buildBrowser(
  ROOT,
  [
    { in: 'bench/browser/streamingPage.ts', out: 'streamingPage' },
    { in: 'packages/core/src/tokens/tokenWorker.ts', out: 'tokenWorker' },
  ],
  join(TMP, 'www'),
);
const server = await serveDir(join(TMP, 'www'), { crossOriginIsolated: true });
const context = await launchPersistentChromium(join(TMP, 'profile'));
const fmt = (n, digits = 3) => Number(n.toPrecision(digits)).toLocaleString('en-US');
try {
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => 'streamingBench' in window);
  const append = await page.evaluate(() => window.streamingBench.appendCost());
  const tokens = quick ? 200 : 2000;
  const rate = await page.evaluate(([t]) => window.streamingBench.writeRate(t, 50), [tokens]);
  const flush = await page.evaluate(([n]) => window.streamingBench.flushVsPut(n), [quick ? 30 : 200]);
  const rows = [
    '| benchmark | env | subject | unit | median | p95 | baseline | base median | base p95 | ratio | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| 7 streaming | chromium | reply.append(delta) on the page | ns/call | ${fmt(append.median)} | ${fmt(append.p95)} |  |  |  |  | ${append.calls.toLocaleString('en-US')} calls in batches of 1,000; no write scheduled (flushMs far away) |`,
    `| 7 streaming | chromium | writes while streaming ${tokens.toLocaleString('en-US')} deltas (≈ ${rate.completionTokens.toLocaleString('en-US')} tokens) at 50 deltas/s | writes/s | ${fmt(rate.perSecond)} | – |  |  |  |  | flushMs 250 (default): ${rate.streamedWrites} writes in ${fmt(rate.seconds)} s, + finish; ${fmt(rate.bytesPerWrite)} B of patch per write on average |`,
    `| 7 streaming | chromium | reply.flush() (event row only) | ms | ${fmt(flush.flush.median)} | ${fmt(flush.flush.p95)} | bare Dexie put txn of the same row | ${fmt(flush.put.median)} | ${fmt(flush.put.p95)} | ${fmt(flush.ratio)}× | text of ${flush.textChars.toLocaleString('en-US')} chars; paired, median of ratios |`,
  ];
  process.stdout.write(`${rows.join('\n')}\n`);
} finally {
  await context.close();
  await server.close();
}
