import { isTokenEncoding, type TokenEncoding } from '../tokens/tokenEncoding.ts';

/** A model priced (and optionally tokenized) by the app rather than by the catalog. */
export interface ModelDefinition {
  /** The model id as passed to `estimateCost` / `countTokens` (matched case-insensitively). */
  id: string;
  /** USD per million prompt tokens. */
  inputPerMTok: number;
  /** USD per million completion tokens. */
  outputPerMTok: number;
  /** USD per million prompt tokens read from the prompt cache; default: inputPerMTok. */
  cachedInputPerMTok?: number;
  /** USD per million prompt tokens written to the prompt cache; default: inputPerMTok. */
  cacheWritePerMTok?: number;
  /** Maximum tokens of prompt plus completion, if known. */
  contextWindow?: number;
  /** Tokenizer that counts this model exactly; without it, its family decides. */
  encoding?: TokenEncoding;
}

const registry = new Map<string, Readonly<ModelDefinition>>();

const keyOf = (id: string): string => id.trim().toLowerCase();

function assertPrice(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `registerModel: ${field} must be a finite number >= 0 (USD per million tokens), got ${String(value)}`,
    );
  }
}

function validate(definition: ModelDefinition): void {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(
      'registerModel: expected { id, inputPerMTok, outputPerMTok, contextWindow?, encoding? }',
    );
  }
  const { id, inputPerMTok, outputPerMTok, cachedInputPerMTok, cacheWritePerMTok, contextWindow, encoding } =
    definition;
  if (typeof id !== 'string' || id.trim() === '') {
    throw new TypeError('registerModel: id must be a non-empty string');
  }
  assertPrice(inputPerMTok, 'inputPerMTok');
  assertPrice(outputPerMTok, 'outputPerMTok');
  if (cachedInputPerMTok !== undefined) assertPrice(cachedInputPerMTok, 'cachedInputPerMTok');
  if (cacheWritePerMTok !== undefined) assertPrice(cacheWritePerMTok, 'cacheWritePerMTok');
  if (contextWindow !== undefined && !(Number.isSafeInteger(contextWindow) && contextWindow > 0)) {
    throw new RangeError(
      `registerModel: contextWindow must be a positive integer, got ${String(contextWindow)}`,
    );
  }
  if (encoding !== undefined && !isTokenEncoding(encoding)) {
    throw new RangeError(
      `registerModel: encoding must be 'o200k_base' or 'cl100k_base', got ${String(encoding)}`,
    );
  }
}

/**
 * Registers (or replaces) a model's prices, context window and tokenizer. Registered models
 * take precedence over the price catalog, so this also overrides a catalog price.
 */
export function registerModel(definition: ModelDefinition): void {
  validate(definition);
  const { id, inputPerMTok, outputPerMTok, cachedInputPerMTok, cacheWritePerMTok, contextWindow, encoding } =
    definition;
  const stored: ModelDefinition = { id: id.trim(), inputPerMTok, outputPerMTok };
  if (cachedInputPerMTok !== undefined) stored.cachedInputPerMTok = cachedInputPerMTok;
  if (cacheWritePerMTok !== undefined) stored.cacheWritePerMTok = cacheWritePerMTok;
  if (contextWindow !== undefined) stored.contextWindow = contextWindow;
  if (encoding !== undefined) stored.encoding = encoding;
  registry.set(keyOf(id), Object.freeze(stored));
}

/** Removes a registered model; returns whether one was registered under `id`. */
export function unregisterModel(id: string): boolean {
  return registry.delete(keyOf(id));
}

/**
 * The registered definition for `model`. A provider-prefixed id (`openai/gpt-4o`) also finds
 * a model registered under its bare name.
 */
export function getRegisteredModel(model: string): Readonly<ModelDefinition> | undefined {
  if (registry.size === 0 || typeof model !== 'string') return undefined;
  const key = keyOf(model);
  return registry.get(key) ?? registry.get(key.slice(key.lastIndexOf('/') + 1));
}
