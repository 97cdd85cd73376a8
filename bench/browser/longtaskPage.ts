// Benchmark 5: the longest main-thread task caused by loading the tokenizer, as the demo would
// (core's loadTokenizer + countTokens), observed with PerformanceObserver('longtask').
// Each mode runs in a fresh page and context, so nothing is cached or already built.
import { countTokens, loadTokenizer } from '@ai-session-manager/core';

export type LongTaskMode = 'core' | 'parts' | 'worker' | 'chunked';

export interface LongTaskResult {
  mode: LongTaskMode;
  /** Long tasks (> 50 ms) seen on the main thread while loading, in ms. */
  tasks: number[];
  /** Their start times (performance.now() scale), to attribute them to phases. */
  taskStarts: number[];
  longest: number;
  /** Time from the call to the first count being available. */
  readyMs: number;
  /** Phases measured in `parts` mode; per-message round trip in `worker` mode. */
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

// scheduler.yield (Chromium 129+) resumes ahead of other tasks; setTimeout(0) would add 4 ms
// clamping per slice once nested.
const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
const yieldSlice = (): Promise<unknown> =>
  scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
const SLICE_MS = 8;

/**
 * The rank table as js-tiktoken keys it (a token's bytes joined by commas → rank), built in
 * slices of at most ~8 ms. `bpe_ranks` is "! <offset> <base64 token> <base64 token>…" per line.
 * Counting needs only this map (a rank lookup per piece, BPE over it for the rest), not the
 * decode table js-tiktoken's constructor also builds.
 */
async function buildRankMapInSlices(bpeRanks: string): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  let sliceStart = performance.now();
  // Scanned with indexOf rather than split: splitting 2.3 MB into 200k strings is itself a task.
  let lineStart = 0;
  while (lineStart < bpeRanks.length) {
    let lineEnd = bpeRanks.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = bpeRanks.length;
    const marker = bpeRanks.indexOf(' ', lineStart);
    const offsetEnd = bpeRanks.indexOf(' ', marker + 1);
    let rank = Number.parseInt(bpeRanks.slice(marker + 1, offsetEnd), 10);
    let at = offsetEnd + 1;
    while (at < lineEnd) {
      let end = bpeRanks.indexOf(' ', at);
      if (end === -1 || end > lineEnd) end = lineEnd;
      const binary = atob(bpeRanks.slice(at, end));
      let key = String(binary.charCodeAt(0));
      for (let j = 1; j < binary.length; j++) key += `,${binary.charCodeAt(j)}`;
      map.set(key, rank++);
      at = end + 1;
      if ((rank & 1023) === 0 && performance.now() - sliceStart > SLICE_MS) {
        await yieldSlice();
        sliceStart = performance.now();
      }
    }
    lineStart = lineEnd + 1;
  }
  return map;
}

const modes: Record<LongTaskMode, () => Promise<Record<string, number>>> = {
  // What the demo does today.
  async core() {
    await loadTokenizer('gpt-4o');
    return { count: await countTokens(SAMPLE, 'gpt-4o') };
  },
  // Where the time goes: evaluating the ranks module, then building js-tiktoken's encoder.
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
  // Fix, option B, prototyped: the rank map built on the main thread in slices.
  async chunked() {
    let t = performance.now();
    const ranks = (await import('js-tiktoken/ranks/o200k_base')).default;
    const importRanksMs = performance.now() - t;
    t = performance.now();
    const map = await buildRankMapInSlices(ranks.bpe_ranks);
    return { importRanksMs, importEndAt: t, buildRankMapMs: performance.now() - t, entries: map.size };
  },
  // Fix, option A, prototyped: core's own counter built and run in a module worker.
  async worker() {
    const worker = new Worker(new URL('./tokenWorker.js', import.meta.url), { type: 'module' });
    let nextId = 0;
    const pending = new Map<number, (count: number) => void>();
    worker.onmessage = (event: MessageEvent<{ id: number; count: number }>) => {
      pending.get(event.data.id)?.(event.data.count);
      pending.delete(event.data.id);
    };
    const count = (text: string) =>
      new Promise<number>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        worker.postMessage({ id, text, model: 'gpt-4o' });
      });
    const first = await count(SAMPLE);
    const trips: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await count(`${SAMPLE} #${i}`);
      trips.push(performance.now() - t);
    }
    trips.sort((a, b) => a - b);
    worker.terminate();
    return { count: first, roundTripMedianMs: trips[trips.length >> 1]! };
  },
};

window.longTask = async (mode) => ({ mode, ...(await observe(modes[mode])) });
