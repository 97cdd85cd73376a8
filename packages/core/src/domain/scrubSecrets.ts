// Pattern-based secret scrubbing (best effort): text a model, an endpoint or a user produced may
// repeat an API key, and what is stored is kept, exported and shown.
import { InvalidInputError } from './errors.ts';

/** Turns text into the text to store: a SessionManager's `scrub` option, an export's `scrub`. */
export type Scrubber = (text: string) => string;

const REDACTED = '[redacted]';

/** `Bearer <token>`; also URL-encoded (`Bearer%20…`, `Bearer+…`). */
const BEARER = /(?<![A-Za-z])(Bearer|Basic|Token)(\s+|%20|\+)([A-Za-z0-9._~+/=-]{4,})/gi;
/** After Basic/Token only what looks like a credential (prose says "basic idea", "token count"). */
const CREDENTIAL = /^(?=.{8})(?:.*[0-9._~+/=-]|.*[a-z][A-Z])/;
/** OpenAI-style keys and look-alikes standing alone: sk-…, sk-proj-…, rk-…, pk-… with a long tail. */
const KEY_LIKE = /\b(?:sk|rk|pk)[-_][A-Za-z0-9_-]{8,}/g;
/**
 * The same keys glued to a word character (`xsk-proj-…`, `token_sk-…`, `%3Dsk-…`): only with a
 * run of 16+ letters and digits after the prefix, so `risk-free` or `task-list` stay.
 */
const GLUED_KEY =
  /(?<=[A-Za-z0-9_])(?:sk|rk|pk)-(?:(?:proj|ant|svcacct|admin)-(?:api\d+-)?)?[A-Za-z0-9]{16,}[A-Za-z0-9_-]*/g;
/** Other vendors' prefixes (Google AIza…, GitHub ghp_…, Hugging Face hf_…, xAI xai-…, Groq gsk_…), glued or not. */
const VENDOR_KEY =
  /(?:AIza[0-9A-Za-z_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|hf_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|gsk_[A-Za-z0-9]{20,})/g;
/** Quotes, plain or URL-encoded (%22, %27). */
const Q = `(?:["']|%22|%27)`;
/** Spaces, plain or URL-encoded (%20). */
const GAP = `(?:\\s|%20)*`;
/**
 * `api_key=…`, `"apiKey": "…"`, `x-api-key: …` and friends, also URL-encoded
 * (`api_key%3D…`, `%22apiKey%22%3A%22…%22`). The name may follow a digit (`%22apiKey`) but not a letter.
 */
const ASSIGNED = new RegExp(
  `(?<![A-Za-z])(api[-_]?key|access[-_]?token|auth[-_]?token|authorization|x-api-key)` +
    `(${Q}?${GAP}(?:[:=]|%3[AaDd])${GAP}${Q}?)` +
    `(?!(?:Bearer|Basic|Token)(?:\\s|%20|\\+)|\\[redacted\\])` +
    `((?:[^\\s"',;&%]|%(?!2[0267Cc])[0-9A-Fa-f]{2}){4,})`,
  'gi',
);

/**
 * `text` with each of `secrets` (the app's own keys, 4+ characters) and anything that looks like a
 * credential replaced by `[redacted]`. Pattern-based: a key in a shape it does not know stays.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // A very short "key" would blank ordinary words; real keys are long.
    const s = secret.trim();
    if (s.length < 4) continue;
    out = out.split(s).join(REDACTED);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.split(encoded).join(REDACTED);
  }
  return out
    .replace(BEARER, (all: string, scheme: string, gap: string, token: string) =>
      /^bearer$/i.test(scheme) || CREDENTIAL.test(token) ? `${scheme}${gap}${REDACTED}` : all,
    )
    .replace(ASSIGNED, (_, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(KEY_LIKE, REDACTED)
    .replace(GLUED_KEY, REDACTED)
    .replace(VENDOR_KEY, REDACTED);
}

/** `scrub` checked: a function, whose every answer is a string (InvalidInputError otherwise). */
export function checkedScrubber(scrub: unknown, name = 'scrub'): Scrubber | undefined {
  if (scrub === undefined) return undefined;
  if (typeof scrub !== 'function') throw new InvalidInputError(`${name} must be a function.`, name);
  return (text) => {
    const out: unknown = scrub(text);
    if (typeof out !== 'string') throw new InvalidInputError(`${name} must return a string.`, name);
    return out;
  };
}

/**
 * `record` with `scrub` applied to its top-level string values (nested values are the app's
 * structured data and stay as they are); the same object when nothing changed.
 */
export function scrubRecord<T extends Record<string, unknown>>(record: T, scrub: Scrubber | undefined): T {
  if (!scrub) return record;
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value !== 'string') continue;
    const clean = scrub(value);
    if (clean === value) continue;
    copy ??= { ...record };
    copy[key] = clean;
  }
  return (copy as T | undefined) ?? record;
}
