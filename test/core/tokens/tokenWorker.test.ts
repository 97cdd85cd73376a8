// The async token API with a tokenizer worker (browsers), with a stand-in Worker in Node: the
// worker builds the table and sends a copy; same counts as counting here, one message per tick
// and encoding, short texts counted here once the table is here, and a fallback to this thread
// whenever the worker cannot answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  countChatTokens,
  countTokens,
  countTokensBatch,
  countTokensSync,
  loadTokenizer,
  setTokenizerWorker,
  type TokenEncoding,
} from '../../../packages/core/src/tokens';
import { importRanks } from '../../../packages/core/src/tokens/exactCounterLoader';
import { ExactTokenCounter } from '../../../packages/core/src/tokens/exactTokenCounter';
import { pretokenizer } from '../../../packages/core/src/tokens/pretokenizerPatterns';
import { parseRanks } from '../../../packages/core/src/tokens/rankTable';
import type {
  TokenWorkerRequest,
  TokenWorkerResponse,
} from '../../../packages/core/src/tokens/workerProtocol';

type Behaviour = 'answers' | 'fails to load' | 'replies with an error';

// The stand-in's own counters, so that nothing it builds is visible to the page side.
const workerCounters = new Map<TokenEncoding, Promise<ExactTokenCounter>>();
function workerCounter(encoding: TokenEncoding): Promise<ExactTokenCounter> {
  let counter = workerCounters.get(encoding);
  if (!counter) {
    counter = importRanks(encoding).then(
      (ranks) => new ExactTokenCounter(pretokenizer(encoding), parseRanks(ranks)),
    );
    workerCounters.set(encoding, counter);
  }
  return counter;
}

/** Answers as tokens/tokenWorker.ts does, asynchronously like a real worker. */
class StandInWorker {
  onmessage: ((event: { data: TokenWorkerResponse }) => void) | null = null;
  onerror: ((event: { preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  readonly posted: TokenWorkerRequest[] = [];
  terminated = false;

  constructor(private readonly behaviour: Behaviour) {}

  postMessage(request: TokenWorkerRequest): void {
    this.posted.push(request);
    setTimeout(async () => {
      if (this.terminated) return;
      if (this.behaviour === 'fails to load') {
        this.onerror?.({ preventDefault() {} });
        return;
      }
      if (this.behaviour === 'replies with an error') {
        this.onmessage?.({ data: { id: request.id, error: 'ranks chunk failed to load' } });
        return;
      }
      const counter = await workerCounter(request.encoding);
      const counts = request.texts.map((text) => counter.count(text));
      const response: TokenWorkerResponse = request.withTable
        ? { id: request.id, counts, table: counter.ranks.copy() }
        : { id: request.id, counts };
      this.onmessage?.({ data: response });
    });
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** Installs a stand-in worker; returns every one the factory created. */
function useStandIn(behaviour: Behaviour): StandInWorker[] {
  const created: StandInWorker[] = [];
  setTokenizerWorker(() => {
    const worker = new StandInWorker(behaviour);
    created.push(worker);
    return worker as unknown as Worker;
  });
  return created;
}

const TEXTS = ['hello world', 'Ünïcödé and 中文 text', '  indented\n\tcode();', "it's <|endoftext|>", ''];

afterEach(() => setTokenizerWorker(null));

const LONG_TEXT = 'A long pasted document. '.repeat(1_000);

// Must run first: nothing may have built a counter on this side yet.
describe('with a worker', () => {
  it('loadTokenizer receives the rank table from the worker, and countTokensSync counts exactly', async () => {
    const workers = useStandIn('answers');
    await loadTokenizer('gpt-4o');
    expect(workers).toHaveLength(1);
    expect(workers[0]!.posted).toEqual([{ id: 0, encoding: 'o200k_base', texts: [], withTable: true }]);
    // A second call asks for nothing more.
    await loadTokenizer('gpt-4o-mini');
    expect(workers[0]!.posted).toHaveLength(1);

    const reference = await workerCounter('o200k_base');
    expect(TEXTS.map((text) => countTokensSync(text, 'gpt-4o'))).toEqual(
      TEXTS.map((text) => reference.count(text)),
    );
    expect(() => countTokensSync('hello', 'gpt-4')).toThrow(/loadTokenizer/);
  });

  it('sends counts asked for in one tick as one message per encoding, with the table on first use', async () => {
    const workers = useStandIn('answers');
    const [a, batch, chat, long, other] = await Promise.all([
      countTokens(TEXTS[1]!, 'gpt-4'),
      countTokensBatch(TEXTS, 'gpt-4'),
      countChatTokens([{ role: 'user', content: TEXTS[2]!, name: 'ada' }], 'gpt-4'),
      countTokens(LONG_TEXT, 'gpt-4o'),
      countTokens(TEXTS[0]!, 'gpt-4o'),
    ]);
    expect(workers).toHaveLength(1);
    // o200k_base is here already (the test above): only the long text goes over.
    expect(
      workers[0]!.posted.map(({ encoding, texts, withTable }) => [encoding, texts.length, withTable]),
    ).toEqual([
      ['cl100k_base', 1 + TEXTS.length + 3, true],
      ['o200k_base', 1, undefined],
    ]);
    // The cl100k_base table is here now: short texts no longer travel.
    await loadTokenizer('gpt-4');
    expect(await countTokensBatch(TEXTS, 'gpt-4')).toEqual(batch);
    expect(workers[0]!.posted).toHaveLength(2);

    const cl100k = await workerCounter('cl100k_base');
    const o200k = await workerCounter('o200k_base');
    expect(a).toBe(cl100k.count(TEXTS[1]!));
    expect(batch).toEqual(TEXTS.map((text) => cl100k.count(text)));
    expect(chat).toBe(3 + 3 + 1 + cl100k.count('user') + cl100k.count(TEXTS[2]!) + cl100k.count('ada'));
    expect(long).toBe(o200k.count(LONG_TEXT));
    expect(other).toBe(o200k.count(TEXTS[0]!));
  });

  it('validates before anything is sent', async () => {
    const workers = useStandIn('answers');
    await expect(countTokensBatch(['ok', 5 as unknown as string])).rejects.toThrow(
      /texts\[1\]: text must be a string/,
    );
    await expect(countTokensBatch('text' as unknown as string[])).rejects.toThrow(TypeError);
    expect(await countTokensBatch([])).toEqual([]);
    expect(workers).toHaveLength(0);
  });
});

describe('falling back to this thread', () => {
  // Long texts always go to the worker, even with the table here.
  const texts = [LONG_TEXT, `${LONG_TEXT} again`];
  const expected = async () => {
    setTokenizerWorker(null);
    return countTokensBatch(texts, 'gpt-4o');
  };

  it('when the worker fails to load, and stops using it', async () => {
    const workers = useStandIn('fails to load');
    const counts = await countTokensBatch(texts, 'gpt-4o');
    expect(await countTokens(LONG_TEXT, 'gpt-4o')).toBe(counts[0]);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.posted).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(true);
    expect(counts).toEqual(await expected());
  });

  it('when the worker cannot be created', async () => {
    let calls = 0;
    setTokenizerWorker(() => {
      calls++;
      throw new Error('workers are not allowed here');
    });
    const counts = await countTokensBatch(texts, 'gpt-4o');
    expect(await countTokens(LONG_TEXT, 'gpt-4o')).toBe(counts[0]);
    expect(calls).toBe(1);
    expect(counts).toEqual(await expected());
  });

  it('when the worker answers with an error, for that request only', async () => {
    const workers = useStandIn('replies with an error');
    const counts = await countTokensBatch(texts, 'gpt-4o');
    expect(await countTokens(LONG_TEXT, 'gpt-4o')).toBe(counts[0]);
    expect(workers[0]!.posted).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(false);
    expect(counts).toEqual(await expected());
  });

  it('when the worker is replaced while counting: the new one answers', async () => {
    const first = useStandIn('answers');
    const pending = countTokensBatch(texts, 'gpt-4o');
    await Promise.resolve(); // posted to the first worker
    const second = useStandIn('answers');
    const counts = await pending;
    expect(first[0]!.terminated).toBe(true);
    expect(second[0]!.posted).toHaveLength(1);
    expect(counts).toEqual(await expected());
  });

  it('when loading the table fails over there: the counter is built here', async () => {
    // Fresh module state: no table or counter on this side yet.
    vi.resetModules();
    const fresh = await import('../../../packages/core/src/tokens');
    const workers: StandInWorker[] = [];
    fresh.setTokenizerWorker(() => {
      workers.push(new StandInWorker('replies with an error'));
      return workers[0] as unknown as Worker;
    });
    await fresh.loadTokenizer('gpt-4');
    expect(workers[0]!.posted).toEqual([{ id: 0, encoding: 'cl100k_base', texts: [], withTable: true }]);
    expect(fresh.countTokensSync(TEXTS[1]!, 'gpt-4')).toBe(
      (await workerCounter('cl100k_base')).count(TEXTS[1]!),
    );
    fresh.setTokenizerWorker(null);
  });
});
