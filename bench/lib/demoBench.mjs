// Issue 11 benchmarks: opening a long conversation in the built demo, and useSessions
// over many conversations, in real Chromium with an on-disk profile. Seeding goes through the
// store's bulk `importRecords` in a page of the same origin as the demo (same IndexedDB).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as viteBuild } from 'vite';
import { buildBrowser } from './bundle.mjs';

const DEMO_DB = 'ai-session-manager-demo';
const SESSIONS_DB = 'bench-sessions';

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const p95 = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(0.95 * sorted.length) - 1))];
};
const pairedRatio = (subject, baseline) => median(subject.map((s, i) => s / baseline[i]));

/** Build the demo (as `vite build` does, relative base) into www/demo and the two bench pages beside it. */
export async function prepareDemoBench(root, www) {
  await viteBuild({
    root: join(root, 'apps', 'demo'),
    base: './',
    logLevel: 'warn',
    build: { outDir: join(www, 'demo'), emptyOutDir: true },
  });
  await buildBrowser(
    root,
    [
      { in: 'bench/browser/demoSeedPage.ts', out: 'demoSeedPage' },
      { in: 'bench/browser/sessionsPage.tsx', out: 'sessionsPage' },
    ],
    www,
  );
  for (const page of ['demoSeed', 'sessions']) {
    writeFileSync(
      join(www, `${page}.html`),
      `<!doctype html><meta charset="utf-8"><title>${page}</title><link rel="icon" href="data:,"><div id="root"></div><script type="module" src="./${page}Page.js"></script>\n`,
    );
  }
}

async function seedPage(context, url, log) {
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`  [chromium] page error: ${error.message}`));
  await page.goto(`${url}/demoSeed.html`);
  await page.waitForFunction(() => 'seedDemo' in window);
  return page;
}

/** One cold open of the demo on `conversation`: ms to the commit that shows its newest message, heap after GC. */
async function openOnce(context, url, conversation) {
  const page = await context.newPage();
  await page.addInitScript((newest) => {
    const observer = new MutationObserver(() => {
      const timeline = document.querySelector('[data-testid="timeline"]');
      if (timeline?.textContent?.includes(newest)) {
        window.__newestAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  }, conversation.newest);
  await page.goto(`${url}/demo/index.html#/c/${encodeURIComponent(conversation.conversationId)}`);
  await page.waitForFunction(() => window.__newestAt !== undefined, undefined, { timeout: 120_000 });
  const ms = await page.evaluate(() => window.__newestAt);
  // Let the open settle (the stats, the sidebar, the idle tokenizer load), then weigh the heap.
  await page.waitForTimeout(1500);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const rows = Number(await page.getByTestId('timeline').getAttribute('data-rows'));
  await cdp.detach();
  await page.close();
  return { ms, heapMB: usedSize / 2 ** 20, rows };
}

/** Demo open: open the small and the large conversation alternately, `runs` times each. */
export async function demoOpenBench(context, url, { sizes, runs }, log) {
  const seeder = await seedPage(context, url, log);
  const started = performance.now();
  const [small, large] = await seeder.evaluate((o) => window.seedDemo(o), { dbName: DEMO_DB, sizes });
  const reads = {};
  for (const [which, c] of [
    ['small', small],
    ['large', large],
  ]) {
    const options = { dbName: DEMO_DB, conversationId: c.conversationId, window: 120, runs: 9 };
    reads[which] = await seeder.evaluate((o) => window.measureReads(o), options);
  }
  await seeder.close();
  log(
    `  seeded ${small.events} + ${large.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const results = { small: [], large: [] };
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['small', 'large'] : ['large', 'small'];
    for (const which of order)
      results[which].push(await openOnce(context, url, which === 'small' ? small : large));
  }
  const label = (c) =>
    `${c.events.toLocaleString('en-US')} events / ${c.segments.toLocaleString('en-US')} segments`;
  const ms = (which) => results[which].map((r) => r.ms);
  const heap = (which) => results[which].map((r) => r.heapMB);
  const ratio = pairedRatio(ms('large'), ms('small'));
  const readRow = (key, subject, note) => ({
    bench: 'demo open',
    subject: `${subject} @ ${label(large)}`,
    env: 'chromium',
    unit: 'ms',
    median: reads.large[key],
    p95: Number.NaN,
    baseline: `same @ ${label(small)}`,
    baselineMedian: reads.small[key],
    ratio: reads.large[key] / reads.small[key],
    note: `diagnostic, median of 9 warm reads on their own: ${note}`,
  });
  return [
    readRow(
      'window',
      'read: the timeline window (120 events)',
      'head row, parents back to the newest 120 events, one range each',
    ),
    readRow(
      'stats',
      'read: useSessionStats (root, head, segment ids)',
      'getChainEnds: two rows and every segment id (index keys, for sessionChain), then statsFromHead',
    ),
    readRow(
      'segments',
      'read: every segment row (what stats cost before head totals)',
      'store.getSegments, for comparison; not read on open',
    ),
    readRow(
      'list',
      'read: listConversations() (the sidebar)',
      'index-backed: one head row per conversation (2 here), the same at both sizes',
    ),
    {
      bench: 'demo open',
      subject: `newest messages on screen @ ${label(large)}`,
      env: 'chromium',
      unit: 'ms',
      median: median(ms('large')),
      p95: p95(ms('large')),
      baseline: `same @ ${label(small)}`,
      baselineMedian: median(ms('small')),
      baselineP95: p95(ms('small')),
      ratio,
      target: '≤ 1.5×',
      met: ratio <= 1.5,
      note: `cold page load of the built demo to the commit showing the newest message; ${runs} runs each, alternating; timeline rows loaded: ${median(results.large.map((r) => r.rows))} vs ${median(results.small.map((r) => r.rows))}`,
    },
    {
      bench: 'demo open',
      subject: `JS heap after open @ ${label(large)}`,
      env: 'chromium',
      unit: 'MB',
      median: median(heap('large')),
      p95: p95(heap('large')),
      baseline: `same @ ${label(small)}`,
      baselineMedian: median(heap('small')),
      baselineP95: p95(heap('small')),
      ratio: pairedRatio(heap('large'), heap('small')),
      target: '< 50 MB',
      met: median(heap('large')) < 50,
      note: 'main-thread heap used after a forced GC, 1.5 s after the newest message shows (CDP Runtime.getHeapUsage)',
    },
  ];
}

/** useSessions: first render of useSessions over `conversations` conversations, all vs one page. */
export async function sessionsBench(context, url, { conversations, limit, runs }, log) {
  const seeder = await seedPage(context, url, log);
  const started = performance.now();
  await seeder.evaluate((o) => window.seedConversations(o), { dbName: SESSIONS_DB, conversations });
  await seeder.close();
  log(`  seeded ${conversations} conversations in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const results = { all: [], paged: [] };
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['paged', 'all'] : ['all', 'paged'];
    for (const which of order) {
      const page = await context.newPage();
      page.on('pageerror', (error) => log(`  [chromium] page error: ${error.message}`));
      await page.goto(`${url}/sessions.html`);
      await page.waitForFunction(() => 'openSessions' in window);
      const options = which === 'paged' ? { dbName: SESSIONS_DB, limit } : { dbName: SESSIONS_DB };
      results[which].push(await page.evaluate((o) => window.openSessions(o), options));
      await page.close();
    }
  }
  const ms = (which) => results[which].map((r) => r.ms);
  const n = conversations.toLocaleString('en-US');
  return [
    {
      bench: 'useSessions',
      subject: `first render, useSessions({ limit: ${limit} }) @ ${n} conversations`,
      env: 'chromium',
      unit: 'ms',
      median: median(ms('paged')),
      p95: p95(ms('paged')),
      baseline: `useSessions() (every conversation) @ ${n}`,
      baselineMedian: median(ms('all')),
      baselineP95: p95(ms('all')),
      ratio: pairedRatio(ms('paged'), ms('all')),
      note: `fresh page per run (Dexie open included) to the commit showing rows; ${runs} runs each, alternating; rows: ${results.paged[0]?.rows} vs ${results.all[0]?.rows}`,
    },
  ];
}
