// Turning benchmark results into table rows (ResultRow, see stats.ts) and a markdown table.

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

/** Benchmark 6 rows from size.mjs's measurement: one per scenario, then the lazy-load checks. */
export function sizeRows(size) {
  const kB = (bytes) => (bytes / 1000).toFixed(2);
  return [
    ...size.scenarios.map((s) => ({
      bench: '6 size',
      subject: `${s.name}, up front, min+gzip`,
      env: 'node',
      unit: 'kB',
      median: s.external / 1000,
      p95: Number.NaN,
      target: `≤ ${kB(s.limit.external)} kB`,
      met: s.pass,
      note: `Dexie external; ${kB(s.bundled)} kB with Dexie (limit ${kB(s.limit.bundled)} kB); ${kB(s.everything)} kB with lazy chunks`,
    })),
    {
      bench: '6 size',
      subject: 'ranks, price catalog, zod and worker lazy',
      env: 'node',
      unit: 'violations',
      median: size.violations.length,
      p95: Number.NaN,
      target: '0',
      met: size.violations.length === 0 && size.worker.pass,
      note: `rank chunks: ${size.rankChunks.map((c) => `${(c.bytes / 1e6).toFixed(2)} MB ${c.upFront ? 'up front' : 'lazy'}`).join(', ')}; tokenizer worker entry ${kB(size.worker.gzip)} kB min+gzip, its own file`,
    },
  ];
}

/** Benchmark 5 rows: longest main-thread task per mode, over fresh-page runs. */
export function longTaskRows(results) {
  const rows = [];
  const longest = (runs) => runs.map((r) => r.longest);
  const phase = (runs, name) => median(runs.map((r) => r.phases[name]));
  const describe = (runs) =>
    `tasks > 50 ms per run: ${runs.map((r) => `[${r.tasks.map((t) => t.toFixed(0)).join(', ')}]`).join(' ')}`;
  const modeRow = (runs, subject, note, target = true) => {
    const l = longest(runs);
    rows.push({
      bench: '5 ranks load: longest task',
      subject,
      env: 'chromium',
      unit: 'ms',
      median: median(l),
      p95: Math.max(...l),
      ...(target ? { target: '≤ 50 ms', met: Math.max(...l) <= 50 } : {}),
      note: `p95 column = worst of ${l.length} runs; ${note}; ${describe(runs)}`,
    });
  };
  if (results.core.length) {
    modeRow(
      results.core,
      "core loadTokenizer('gpt-4o') + countTokens (tokenizer worker)",
      `first count after ${phase(results.core, 'firstCountMs').toFixed(0)} ms; then countTokens per message ${phase(results.core, 'roundTripMedianMs').toFixed(3)} ms (median)`,
    );
  }
  if (results.sync.length) {
    modeRow(
      results.sync,
      "core loadTokenizer('gpt-4o') + first countTokensSync",
      `with the table the worker sent: first sync count ${phase(results.sync, 'firstSyncCountMs').toFixed(2)} ms (median)`,
    );
  }
  if (results.mainThread.length) {
    modeRow(
      results.mainThread,
      'core without a worker (setTokenizerWorker(null))',
      `ready after ${median(results.mainThread.map((r) => r.readyMs)).toFixed(0)} ms`,
      false,
    );
  }
  if (results.parts.length) {
    for (const [name, label] of [
      ['importRanksMs', 'import js-tiktoken/ranks/o200k_base'],
      ['buildEncoderMs', "new Tiktoken(o200k ranks) (core's encoder before)"],
    ]) {
      const times = results.parts.map((r) => r.phases[name]);
      rows.push({
        bench: '5 ranks load: longest task',
        subject: `part: ${label}`,
        env: 'chromium',
        unit: 'ms',
        median: median(times),
        p95: Math.max(...times),
        note: `wall time of the phase (diagnostic); ${describe(results.parts)}`,
      });
    }
  }
  return rows;
}

function num(value, unit) {
  if (value === undefined) return '';
  // NaN ("not applicable") comes back as null through JSON.
  if (value === null || Number.isNaN(value)) return '–';
  if (unit === 'mismatches' || unit === 'violations') return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** One markdown table: every row with its baseline, paired ratio, target and verdict. */
export function formatTable(rows) {
  const header = [
    'benchmark',
    'env',
    'subject',
    'unit',
    'median',
    'p95',
    'baseline',
    'base median',
    'base p95',
    'ratio',
    'target',
    'met',
    'note',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [
      r.bench,
      r.env,
      r.subject,
      r.unit,
      num(r.median, r.unit),
      num(r.p95, r.unit),
      r.baseline ?? '',
      num(r.baselineMedian, r.unit),
      num(r.baselineP95, r.unit),
      r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
      r.target ?? '',
      r.met === undefined ? '' : r.met ? 'yes' : '**no**',
      r.note ?? '',
    ];
    lines.push(`| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}
