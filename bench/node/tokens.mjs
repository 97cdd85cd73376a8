// Benchmark 3 in Node (the primary figure for tokens): exactness against OpenAI's tiktoken
// reference, warm throughput on ~1 MB of markdown, and per-message latency.
// Bundled and run by bench/run.mjs: `node tokens.mjs <options.json> <out.json>`, in its own
// process so that every tokenizer's load is a cold one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runTokenBench } from '../lib/tokenBench.ts';

const [optionsFile, outFile] = process.argv.slice(2);
const options = JSON.parse(readFileSync(optionsFile, 'utf8'));
const { corpus, messages } = JSON.parse(readFileSync(options.dataFile, 'utf8'));
const reference = existsSync(options.referenceFile)
  ? JSON.parse(readFileSync(options.referenceFile, 'utf8'))
  : undefined;
if (!reference) process.stderr.write(`  [node] no ${options.referenceFile}: exactness check skipped\n`);

const rows = await runTokenBench({
  env: 'node',
  now: () => performance.now(),
  corpus,
  messages,
  passes: options.passes,
  reference,
});
writeFileSync(outFile, JSON.stringify(rows));
