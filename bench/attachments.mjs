// `node bench/attachments.mjs [--quick]` (or `node bench/run.mjs --only=attachments`): issue 22's
// attachment figures in Debian's Chromium with an on-disk profile (real IndexedDB): a reply streamed
// after a ~2 MB image vs without one, storage per shared image, reading events that hold images.
// Page: bench/browser/attachmentsPage.ts. Prints markdown rows for BENCHMARKS.md.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchPersistentChromium, serveDir } from './browser/chromium.mjs';
import { buildBrowser } from './lib/bundle.mjs';
import { formatTable } from './lib/report.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** Build the page, run the three parts in a fresh on-disk profile, resolve to ResultRow objects. */
export async function attachmentsBench({ quick = false, log = () => {} } = {}) {
  const tmp = join(ROOT, 'bench', '.tmp', 'attachments');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'www'), { recursive: true });
  writeFileSync(
    join(tmp, 'www', 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./attachmentsPage.js"></script>\n',
  );
  await buildBrowser(
    ROOT,
    [
      { in: 'bench/browser/attachmentsPage.ts', out: 'attachmentsPage' },
      { in: 'packages/core/src/tokens/tokenWorker.ts', out: 'tokenWorker' },
    ],
    join(tmp, 'www'),
  );
  const server = await serveDir(join(tmp, 'www'), { crossOriginIsolated: true });
  const context = await launchPersistentChromium(join(tmp, 'profile'));
  const rows = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`  [chromium] page error: ${error.message}`));
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => 'attachmentsBench' in window);
    const parts = [
      ['storage', {}],
      ...[false, true].map((together) => [
        'streaming',
        { rounds: quick ? 4 : 60, warmup: quick ? 1 : 3, together },
      ]),
      ['readWindow', { rounds: quick ? 4 : 30 }],
    ];
    for (const [name, options] of parts) {
      const started = performance.now();
      rows.push(...(await page.evaluate(([n, o]) => window.attachmentsBench[n](o), [name, options])));
      log(`chromium attachments ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await context.close();
    await server.close();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await attachmentsBench({
    quick: process.argv.includes('--quick'),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatTable(rows)}\n`);
}
