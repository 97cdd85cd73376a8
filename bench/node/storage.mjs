// Secondary figures: benchmarks 1, 2 and 4 on fake-indexeddb in Node. fake-indexeddb is an
// in-memory JavaScript model of IndexedDB (STACK.md: ~10x faster than Chromium's), so these
// numbers show our own CPU overhead, never browser performance.
// Bundled and run by bench/run.mjs: `node storage.mjs <options.json> <out.json>`.
import 'fake-indexeddb/auto';
import { readFileSync, writeFileSync } from 'node:fs';
import { runAppendBench } from '../lib/appendBench.ts';
import { tokenCounts } from '../lib/chain.ts';
import { runQueryBench } from '../lib/queryBench.ts';

const [optionsFile, outFile] = process.argv.slice(2);
const options = JSON.parse(readFileSync(optionsFile, 'utf8'));
const { messages } = JSON.parse(readFileSync(options.dataFile, 'utf8'));
const env = {
  env: 'node+fake-indexeddb',
  indexedDB: globalThis.indexedDB,
  IDBKeyRange: globalThis.IDBKeyRange,
  now: () => performance.now(),
};
const log = (line) => process.stderr.write(`  [node] ${line}\n`);

const rows = [
  ...(await runAppendBench(env, {
    ...options.append,
    texts: messages,
    tokens: await tokenCounts(messages, 'gpt-4o-mini'),
  })),
  ...(await runQueryBench(env, {
    ...options.query,
    texts: messages,
    tokens: await tokenCounts(messages, 'gpt-4o'),
    log,
  })),
];
writeFileSync(outFile, JSON.stringify(rows));
