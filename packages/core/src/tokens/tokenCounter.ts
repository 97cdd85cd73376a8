import { encodingForModel } from './encodingForModel';
import type { ExactTokenCounter } from './exactTokenCounter';
import { loadedExactCounter, loadedExactCounters, loadExactCounter } from './exactCounterLoader';
import { isTokenEncoding, type TokenEncoding } from './tokenEncoding';

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

/*
 * Per-message overhead from OpenAI's cookbook ("How to count tokens with tiktoken"), valid for
 * gpt-3.5-turbo-0613 onwards, gpt-4 and gpt-4o: every message costs 3 tokens plus its role and
 * content (a `name` adds 1 more plus its own tokens), and every reply is primed with 3 tokens
 * (<|start|>assistant<|message|>).
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const TOKENS_REPLY_PRIMING = 3;

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

/**
 * Loads the tokenizer for a model (or an encoding name such as `'o200k_base'`). Once it
 * resolves, `countTokensSync` works for that model. Safe to call repeatedly.
 */
export async function loadTokenizer(modelOrEncoding: string = DEFAULT_TOKEN_MODEL): Promise<void> {
  assertModel(modelOrEncoding, 'loadTokenizer');
  const encoding = isTokenEncoding(modelOrEncoding) ? modelOrEncoding : encodingForCounting(modelOrEncoding);
  await loadExactCounter(encoding);
}

/** Tokens in `text` for `model`: exact for OpenAI families, an o200k-based estimate otherwise. */
export async function countTokens(text: string, model: string = DEFAULT_TOKEN_MODEL): Promise<number> {
  assertText(text, 'countTokens');
  assertModel(model, 'countTokens');
  const counter = await loadExactCounter(encodingForCounting(model));
  return counter.count(text);
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
  const counter = await loadExactCounter(encodingForCounting(model));
  let total = TOKENS_REPLY_PRIMING;
  messages.forEach((message, i) => {
    total += chatMessageTokens(counter, message, i);
  });
  return total;
}

function chatMessageTokens(counter: ExactTokenCounter, message: ChatTokenMessage, index: number): number {
  const where = `countChatTokens: messages[${index}]`;
  assertText(message?.role, `${where}.role`);
  assertText(message.content, `${where}.content`);
  let tokens = TOKENS_PER_MESSAGE + counter.count(message.role) + counter.count(message.content);
  if (message.name !== undefined) {
    assertText(message.name, `${where}.name`);
    tokens += TOKENS_PER_NAME + counter.count(message.name);
  }
  return tokens;
}

/** Internal: pieces memoized for `encoding`, or across all loaded encoders (bounded; for tests and diagnostics). */
export function pieceCacheSize(encoding?: TokenEncoding): number {
  if (encoding) return loadedExactCounter(encoding)?.cacheSize ?? 0;
  return loadedExactCounters().reduce((sum, counter) => sum + counter.cacheSize, 0);
}

/** Internal: empties every piece cache (for tests and benchmarks that need cold counts). */
export function clearPieceCaches(): void {
  for (const counter of loadedExactCounters()) counter.clearCache();
}
