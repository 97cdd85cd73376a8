import { scrubSecrets } from './scrubSecrets';

/**
 * Scrubs endpoint text that arrives in pieces: a key may be split across two deltas, so the
 * newest word is held back until whitespace ends it, and what is let through is always a
 * prefix of the scrubbed whole (`push` each delta, then `end` for the rest).
 */
export function createSecretFilter(secrets: readonly string[]) {
  let raw = '';
  let emitted = 0;
  function take(upToEnd: boolean): string {
    const clean = scrubSecrets(raw, secrets);
    let cut = clean.length;
    if (!upToEnd) {
      const match = /\s(?=\S*$)/.exec(clean);
      cut = match ? match.index + 1 : 0;
    }
    const out = cut > emitted ? clean.slice(emitted, cut) : '';
    emitted = Math.max(emitted, cut);
    return out;
  }
  return {
    push(delta: string): string {
      raw += delta;
      return take(false);
    },
    end(): string {
      return take(true);
    },
  };
}
