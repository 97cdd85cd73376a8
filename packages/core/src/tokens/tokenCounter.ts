import { encodingForModel } from './encodingForModel.ts';
import {
  adoptExactCounter,
  loadedExactCounter,
  loadedExactCounters,
  loadExactCounter,
} from './exactCounterLoader.ts';
import { isTokenEncoding, type TokenEncoding } from './tokenEncoding.ts';
import {
  defaultTokenizerWorker,
  TokenWorkerClient,
  type TokenizerWorkerFactory,
} from './tokenWorkerClient.ts';
import { TOKENS_PER_MESSAGE, TOKENS_PER_NAME, TOKENS_REPLY_PRIMING } from './chatTokenOverhead.ts';

export { TOKENS_PER_MESSAGE, TOKENS_PER_NAME, TOKENS_REPLY_PRIMING };

export const DEFAULT_TOKEN_MODEL = 'gpt-4o-mini';

/*
 * Estimate for families whose tokenizer is not available offline (Claude, Gemini, Llama,
 * Mistral, unknown ids): the exact o200k_base count, with no per-family factor. o200k_base is a
 * modern 200k-vocabulary BPE; those tokenizers (128k–256k vocabularies) give counts of the same
 * order on English, code and CJK alike, where chars/4 badly undercounts CJK. It is deterministic,
 * and we have no measured factors to apply, so none is invented. Such counts are marked
 * `source: 'estimated'` by `tokenCountSource`.
 */
const ESTIMATE_ENCODING: TokenEncoding = 'o200k_base';

export interface ChatTokenMessage {
  role: string;
  content: string;
  name?: string;
}

function encodingForCounting(model: string): TokenEncoding {
  return encodingForModel(model) ?? ESTIMATE_ENCODING;
}

function assertText(text: unknown, fn: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new TypeError(`${fn}: text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
}

function assertModel(model: unknown, fn: string): asserts model is string {
  if (typeof model !== 'string') {
    throw new TypeError(`${fn}: model must be a string, got ${model === null ? 'null' : typeof model}`);
  }
}

/*
 * Where counting runs. In browsers the rank table is built in a module worker, so that
 * importing the ranks and building it (0.6–1.2 s of one task on the page's thread with
 * js-tiktoken's encoder, 50–120 ms with core's own) never blocks the page. The worker then sends
 * a copy of the table over (transferred, ~5 MB, no parsing), and short texts are counted here:
 * a round trip to the worker costs more than counting a chat message (~40 µs). Long texts still
 * go to the worker. Elsewhere (Node, SSR, tests) everything runs on this thread.
 * `undefined` means the default: a worker when this is a browser page.
 */
let workerFactory: TokenizerWorkerFactory | null | undefined;
let workerClient: TokenWorkerClient | undefined;
// Texts up to this many characters in all are counted here once the table is here (~2 ms).
const LOCAL_CHARS = 20_000;
// The table requested from the worker, per encoding.
const tables = new Map<TokenEncoding, Promise<void>>();

/**
 * Chooses where counting runs in the async API (`countTokens`, `countChatTokens`,
 * `countTokensBatch`, `loadTokenizer`): `factory` creates the module worker that builds the rank
 * table (it must run core's `tokens/tokenWorker` entry), `null` builds it on the calling thread.
 * By default browser pages use the worker that bundlers emit from core. If the worker fails,
 * counting falls back to this thread; counts are the same either way.
 */
export function setTokenizerWorker(factory: TokenizerWorkerFactory | null): void {
  workerFactory = factory;
  const previous = workerClient;
  workerClient = undefined;
  previous?.close();
}

function tokenWorker(): TokenWorkerClient | undefined {
  if (!workerClient) {
    const factory = workerFactory === undefined ? defaultTokenizerWorker() : workerFactory;
    if (!factory) return undefined;
    workerClient = new TokenWorkerClient(factory);
  }
  return workerClient.closed ? undefined : workerClient;
}

async function countHere(encoding: TokenEncoding, texts: readonly string[]): Promise<number[]> {
  const counter = await loadExactCounter(encoding);
  return texts.map((text) => counter.count(text));
}

/** Brings the worker's table here once per encoding; if the worker cannot, builds it here. */
function loadTable(worker: TokenWorkerClient, encoding: TokenEncoding): Promise<void> {
  let pending = tables.get(encoding);
  if (!pending) {
    pending = worker
      .count(encoding, [], true)
      .then(({ table }) => {
        if (!table) throw new Error('no table');
        return adoptExactCounter(encoding, table);
      })
      // Whatever failed over there, the counter can still be built here.
      .catch(() => loadExactCounter(encoding))
      .then(() => undefined);
    pending.catch(() => tables.delete(encoding));
    tables.set(encoding, pending);
  }
  return pending;
}

/** Counts here when the table is here and the texts are short; else in the worker, or here if it fails. */
async function countTexts(encoding: TokenEncoding, texts: readonly string[]): Promise<number[]> {
  const local = loadedExactCounter(encoding);
  let chars = 0;
  for (const text of texts) chars += text.length;
  if (local && chars <= LOCAL_CHARS) return texts.map((text) => local.count(text));
  const worker = tokenWorker();
  if (!worker) return countHere(encoding, texts);
  // Asked for in the same tick, so it travels in the same message as these texts.
  if (!local) void loadTable(worker, encoding).catch(() => undefined);
  try {
    return (await worker.count(encoding, texts)).counts;
  } catch {
    // Replaced meanwhile (setTokenizerWorker): ask the new one; otherwise count here.
    return tokenWorker() && tokenWorker() !== worker
      ? countTexts(encoding, texts)
      : countHere(encoding, texts);
  }
}

/**
 * Loads the tokenizer for a model (or an encoding name such as `'o200k_base'`). Once it
 * resolves, `countTokensSync` works for that model. Safe to call repeatedly.
 * In browsers the worker builds the rank table and this page receives a copy (no parsing here).
 */
export async function loadTokenizer(modelOrEncoding: string = DEFAULT_TOKEN_MODEL): Promise<void> {
  assertModel(modelOrEncoding, 'loadTokenizer');
  const encoding = isTokenEncoding(modelOrEncoding) ? modelOrEncoding : encodingForCounting(modelOrEncoding);
  if (loadedExactCounter(encoding)) return;
  const worker = tokenWorker();
  await (worker ? loadTable(worker, encoding) : loadExactCounter(encoding));
}

/** Tokens in `text` for `model`: exact for OpenAI families, an o200k-based estimate otherwise. */
export async function countTokens(text: string, model: string = DEFAULT_TOKEN_MODEL): Promise<number> {
  assertText(text, 'countTokens');
  assertModel(model, 'countTokens');
  const [count] = await countTexts(encodingForCounting(model), [text]);
  return count!;
}

/** `countTokens` of every text, in order; in browsers at most one round trip to the tokenizer worker. */
export async function countTokensBatch(
  texts: readonly string[],
  model: string = DEFAULT_TOKEN_MODEL,
): Promise<number[]> {
  if (!Array.isArray(texts)) throw new TypeError('countTokensBatch: texts must be an array');
  texts.forEach((text, i) => {
    assertText(text, `countTokensBatch: texts[${i}]`);
  });
  assertModel(model, 'countTokensBatch');
  if (texts.length === 0) return [];
  return countTexts(encodingForCounting(model), texts);
}

/** Whether `model`'s tokenizer is loaded here, so counting needs no wait. */
export function tokenizerReady(model: string = DEFAULT_TOKEN_MODEL): boolean {
  return loadedExactCounter(encodingForCounting(model)) !== undefined;
}

/** As `countTokens`, synchronously; the model's tokenizer must have been loaded with `loadTokenizer`. */
export function countTokensSync(text: string, model: string = DEFAULT_TOKEN_MODEL): number {
  assertText(text, 'countTokensSync');
  assertModel(model, 'countTokensSync');
  const encoding = encodingForCounting(model);
  const counter = loadedExactCounter(encoding);
  if (!counter) {
    throw new Error(
      `countTokensSync: the ${encoding} tokenizer for "${model}" is not loaded yet. ` +
        `Call \`await loadTokenizer(${JSON.stringify(model)})\` first, or use countTokens().`,
    );
  }
  return counter.count(text);
}

/**
 * Prompt tokens of a chat request as OpenAI bills them: each message's role, content and
 * optional name, plus the cookbook's fixed overhead (3 per message, 1 per name, 3 to prime the
 * reply). Exact for OpenAI chat models; an estimate, like `countTokens`, for other families.
 */
export async function countChatTokens(
  messages: readonly ChatTokenMessage[],
  model: string = DEFAULT_TOKEN_MODEL,
): Promise<number> {
  if (!Array.isArray(messages)) throw new TypeError('countChatTokens: messages must be an array');
  assertModel(model, 'countChatTokens');
  const texts: string[] = [];
  let total = TOKENS_REPLY_PRIMING;
  messages.forEach((message, index) => {
    const where = `countChatTokens: messages[${index}]`;
    assertText(message?.role, `${where}.role`);
    assertText(message.content, `${where}.content`);
    texts.push(message.role, message.content);
    total += TOKENS_PER_MESSAGE;
    if (message.name !== undefined) {
      assertText(message.name, `${where}.name`);
      texts.push(message.name);
      total += TOKENS_PER_NAME;
    }
  });
  const counts = await countTexts(encodingForCounting(model), texts);
  return counts.reduce((sum, count) => sum + count, total);
}

/** Internal: pieces memoized on this thread for `encoding`, or across all its encoders (bounded; for tests and diagnostics). */
export function pieceCacheSize(encoding?: TokenEncoding): number {
  if (encoding) return loadedExactCounter(encoding)?.cacheSize ?? 0;
  return loadedExactCounters().reduce((sum, counter) => sum + counter.cacheSize, 0);
}

/** Internal: empties every piece cache (for tests and benchmarks that need cold counts). */
export function clearPieceCaches(): void {
  for (const counter of loadedExactCounters()) counter.clearCache();
}
