// Benchmark 5: the longest main-thread task caused by loading the tokenizer, as the demo does
// (core's loadTokenizer + countTokens), observed with PerformanceObserver('longtask').
// Each mode runs in a fresh page and context, so nothing is cached or already built.
import { countTokens, countTokensSync, loadTokenizer, setTokenizerWorker } from '@ai-session-manager/core';

export type LongTaskMode = 'core' | 'sync' | 'mainThread' | 'parts';

export interface LongTaskResult {
  mode: LongTaskMode;
  /** Long tasks (> 50 ms) seen on the main thread while loading, in ms. */
  tasks: number[];
  /** Their start times (performance.now() scale), to attribute them to phases. */
  taskStarts: number[];
  longest: number;
  /** Time from the call to the first count being available. */
  readyMs: number;
  /** Phases measured in `parts` mode; per-message round trip in `core` mode. */
  phases: Record<string, number>;
}

declare global {
  interface Window {
    longTask(mode: LongTaskMode): Promise<LongTaskResult>;
  }
}

const SAMPLE = 'Loading the ranks must not freeze the page: the user is still typing.';

/** Collect long tasks while `fn` runs, plus a short tail so the last task is reported. */
async function observe(fn: () => Promise<Record<string, number>>) {
  const tasks: number[] = [];
  const taskStarts: number[] = [];
  const record = (entries: PerformanceEntryList) => {
    for (const entry of entries) {
      tasks.push(entry.duration);
      taskStarts.push(entry.startTime);
    }
  };
  const observer = new PerformanceObserver((list) => record(list.getEntries()));
  observer.observe({ type: 'longtask' });
  const start = performance.now();
  const phases = await fn();
  const readyMs = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 200));
  record(observer.takeRecords());
  observer.disconnect();
  return { tasks, taskStarts, longest: Math.max(0, ...tasks), readyMs, phases };
}

const yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 20));

const modes: Record<LongTaskMode, () => Promise<Record<string, number>>> = {
  // What the demo does: the rank table is built in core's tokenizer worker, then copied here;
  // the round trips below are then counted on the page (short texts).
  async core() {
    const started = performance.now();
    await loadTokenizer('gpt-4o');
    const count = await countTokens(SAMPLE, 'gpt-4o');
    const firstCountMs = performance.now() - started;
    const trips: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await countTokens(`${SAMPLE} #${i}`, 'gpt-4o');
      trips.push(performance.now() - t);
    }
    trips.sort((a, b) => a - b);
    return { count, firstCountMs, roundTripMedianMs: trips[trips.length >> 1]! };
  },
  // A synchronous count after loadTokenizer: the page counts with the table the worker sent.
  async sync() {
    await loadTokenizer('gpt-4o');
    await yieldToEventLoop();
    const t = performance.now();
    const count = countTokensSync(SAMPLE, 'gpt-4o');
    return { count, firstSyncCountMs: performance.now() - t };
  },
  // No worker (setTokenizerWorker(null)): core's rank table built on the page's thread.
  async mainThread() {
    setTokenizerWorker(null);
    await loadTokenizer('gpt-4o');
    return { count: await countTokens(SAMPLE, 'gpt-4o') };
  },
  // Before: js-tiktoken's own encoder, which core built until it parsed the ranks itself.
  async parts() {
    let t = performance.now();
    const ranks = (await import('js-tiktoken/ranks/o200k_base')).default;
    const importRanksMs = performance.now() - t;
    await yieldToEventLoop();
    const { Tiktoken } = await import('js-tiktoken/lite');
    await yieldToEventLoop();
    t = performance.now();
    const encoder = new Tiktoken(ranks);
    const buildEncoderMs = performance.now() - t;
    return { importRanksMs, buildEncoderMs, count: encoder.encode(SAMPLE, [], []).length };
  },
};

window.longTask = async (mode) => ({ mode, ...(await observe(modes[mode])) });
