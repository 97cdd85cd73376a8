import type { TokenEncoding } from './tokenEncoding.ts';

/*
 * OpenAI's official split patterns (tiktoken_ext/openai_public.py), rewritten for JavaScript so
 * that they split exactly as tiktoken's Rust regex does:
 * - `\s` there means Unicode White_Space. JavaScript's `\s` adds U+FEFF and lacks U+0085, so an
 *   explicit class is used instead.
 * - The contractions are `(?i:…)`, and Rust's simple case folding also matches the long s
 *   U+017F with `s`; JavaScript has no scoped `(?i)`, so each letter is spelled out.
 * - cl100k's possessive quantifiers (`?+`, `++`, `*+`) are dropped: in every place they occur,
 *   backtracking cannot produce a different match, and JavaScript has no possessive syntax.
 * js-tiktoken ships the patterns with JavaScript's `\s`, which is why it differs from tiktoken.
 */

const WHITE_SPACE = '\\t-\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const S = `[${WHITE_SPACE}]`;
const NOT_S = `[^${WHITE_SPACE}]`;
const CONTRACTION = "'(?:[sS\\u017FdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])";

const CL100K_PATTERN = [
  CONTRACTION,
  '[^\\r\\n\\p{L}\\p{N}]?\\p{L}+',
  '\\p{N}{1,3}',
  ` ?[^${WHITE_SPACE}\\p{L}\\p{N}]+[\\r\\n]*`,
  `${S}+$`,
  `${S}*[\\r\\n]`,
  `${S}+(?!${NOT_S})`,
  S,
].join('|');

const UPPER = '[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]';
const LOWER = '[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]';

const O200K_PATTERN = [
  `[^\\r\\n\\p{L}\\p{N}]?${UPPER}*${LOWER}+(?:${CONTRACTION})?`,
  `[^\\r\\n\\p{L}\\p{N}]?${UPPER}+${LOWER}*(?:${CONTRACTION})?`,
  '\\p{N}{1,3}',
  ` ?[^${WHITE_SPACE}\\p{L}\\p{N}]+[\\r\\n/]*`,
  `${S}*[\\r\\n]+`,
  `${S}+(?!${NOT_S})`,
  `${S}+`,
].join('|');

const PATTERNS: Record<TokenEncoding, string> = {
  o200k_base: O200K_PATTERN,
  cl100k_base: CL100K_PATTERN,
};

/** A fresh global regex that splits text into the pieces tiktoken byte-pair-encodes one by one. */
export function pretokenizer(encoding: TokenEncoding): RegExp {
  return new RegExp(PATTERNS[encoding], 'gu');
}
