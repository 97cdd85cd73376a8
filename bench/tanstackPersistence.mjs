// `node bench/tanstackPersistence.mjs [--quick]`: TanStack AI chat persistence in Debian's Chromium
// with an on-disk profile (real IndexedDB): @ai-session-manager/tanstack-ai's sessionPersistence
// against TanStack's own indexedDBPersistence, both driven as ChatClient drives them (setItem with the full list per delta), at 1,000 and
// 10,000 prior messages, in one run. Prints markdown rows for BENCHMARKS.md.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchPersistentChromium, serveDir } from './browser/chromium.mjs';
import { buildBrowser } from './lib/bundle.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const TMP = join(ROOT, 'bench', '.tmp', 'tanstack');
const quick = process.argv.includes('--quick');

rmSync(TMP, { recursive: true, force: true });
mkdirSync(join(TMP, 'www'), { recursive: true });
writeFileSync(
  join(TMP, 'www', 'index.html'),
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./tanstackPersistencePage.js"></script>\n',
);
await buildBrowser(
  ROOT,
  [{ in: 'bench/browser/tanstackPersistencePage.ts', out: 'tanstackPersistencePage' }],
  join(TMP, 'www'),
);
const server = await serveDir(join(TMP, 'www'), { crossOriginIsolated: true });
const context = await launchPersistentChromium(join(TMP, 'profile'));
const fmt = (n, digits = 3) => Number(n.toPrecision(digits)).toLocaleString('en-US');
const sizes = quick ? [200, 1_000] : [1_000, 10_000];
try {
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => 'tanstackBench' in window);
  const deltas = await page.evaluate(() => window.tanstackBench.deltas);
  const rows = [
    '| subject | prior messages | sessionPersistence median (p95) | IndexedDB writes | indexedDBPersistence median (p95) | IndexedDB writes | ratio |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const n of sizes) {
    const replies = n >= 10_000 ? 7 : 11;
    const r = await page.evaluate(
      ([size, count]) => window.tanstackBench.compare(size, count, 21),
      [n, quick ? 3 : replies],
    );
    process.stderr.write(`${n}: ${JSON.stringify(r)}\n`);
    const row = (subject, f) =>
      `| ${subject} | ${n.toLocaleString('en-US')} | ${fmt(f.ours.median)} ms (${fmt(f.ours.p95)}) | ${fmt(f.ours.writes)} | ${fmt(f.theirs.median)} ms (${fmt(f.theirs.p95)}) | ${fmt(f.theirs.writes)} | ${fmt(f.ratio, 2)}× |`;
    rows.push(row(`one streamed reply (user message + ${deltas} deltas, until stored)`, r.reply));
    rows.push(row('one append (setItem with one new message, until stored)', r.append));
  }
  process.stdout.write(`${rows.join('\n')}\n`);
} finally {
  await context.close();
  await server.close();
}
