/** The BPE encodings counted exactly (both ship with js-tiktoken, so no network is ever needed). */
export type TokenEncoding = 'o200k_base' | 'cl100k_base';

export function isTokenEncoding(value: unknown): value is TokenEncoding {
  return value === 'o200k_base' || value === 'cl100k_base';
}
