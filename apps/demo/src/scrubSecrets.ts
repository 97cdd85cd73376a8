/**
 * Endpoint text (error bodies, messages that quote a request) may repeat the API key. Everything
 * the demo stores or shows from an endpoint goes through `scrubSecrets` first.
 */

const REDACTED = '[redacted]';

/** `Bearer <token>` (any scheme-like token after it). */
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{4,}/gi;
/** OpenAI-style keys and look-alikes: sk-…, sk-proj-…, rk-…, pk-… with a long tail. */
const KEY_LIKE = /\b(?:sk|rk|pk)[-_][A-Za-z0-9_-]{8,}/g;
/** Other vendors' common prefixes: Anthropic sk-ant-… is covered above; Google AIza…, GitHub ghp_…, Hugging Face hf_…, xAI xai-…, Groq gsk_…. */
const VENDOR_KEY =
  /\b(?:AIza[0-9A-Za-z_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|hf_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|gsk_[A-Za-z0-9]{20,})/g;
/** `api_key=…`, `"apiKey": "…"`, `x-api-key: …` and friends. */
const ASSIGNED =
  /\b(api[-_]?key|access[-_]?token|authorization|x-api-key)(["']?\s*[:=]\s*["']?)(?!(?:Bearer|Basic|Token)\s|\[redacted\])([^\s"',;&]{4,})/gi;

/** `text` with the key itself and anything that looks like a credential replaced by `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // A very short "key" would blank ordinary words; real keys are long.
    if (secret.trim().length >= 4) out = out.split(secret.trim()).join(REDACTED);
  }
  return out
    .replace(BEARER, (_, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(ASSIGNED, (_, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(KEY_LIKE, REDACTED)
    .replace(VENDOR_KEY, REDACTED);
}

/** Metadata fields that carry endpoint text (a failed summarizer's message). */
const ENDPOINT_TEXT_FIELDS = ['summaryError', 'error'] as const;

/** A copy of `metadata` whose endpoint-text fields are scrubbed; the same object when there is nothing to scrub. */
export function scrubMetadata<T extends Record<string, unknown>>(metadata: T): T {
  let copy: T | undefined;
  for (const field of ENDPOINT_TEXT_FIELDS) {
    const value = metadata[field];
    if (typeof value !== 'string') continue;
    const clean = scrubSecrets(value);
    if (clean === value) continue;
    copy ??= { ...metadata };
    (copy as Record<string, unknown>)[field] = clean;
  }
  return copy ?? metadata;
}
