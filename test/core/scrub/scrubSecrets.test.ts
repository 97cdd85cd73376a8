import { scrubSecrets } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';

const KEY = 'sk-proj-AbCdEf0123456789xyz';

describe('scrubSecrets: the built-in patterns (best effort)', () => {
  it('removes the key itself, Bearer tokens, sk-…-like tokens and key assignments', () => {
    const text = scrubSecrets(
      `Invalid API key: ${KEY}. Header "Authorization: Bearer ${KEY}"; sk-ant-api03-zzzzzzzzzzzz, api_key=abcd1234efgh, my-own-key-value`,
      ['my-own-key-value'],
    );
    for (const secret of [KEY, 'sk-ant-api03', 'abcd1234efgh', 'my-own-key-value'])
      expect(text).not.toContain(secret);
    expect(text).toContain('Invalid API key: [redacted]');
    expect(text).toContain('Bearer [redacted]');
  });

  it.each([
    ['glued to a letter', 'xsk-proj-abcdefghijklmnop', 'x[redacted]'],
    ['after key: with no space', 'key:sk-proj-abcdefghijklmnop', 'key:[redacted]'],
    ['glued by an underscore', 'token_sk-abcdefghijklmnop1234', 'token_[redacted]'],
    ['glued to a vendor prefix', 'myghp_abcdefghijklmnopqrstuvwx', 'my[redacted]'],
  ])('a key %s', (_, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it.each([
    ['a query string', '?api_key%3Dsk-proj-abcdefghijklmnop&x=1', '?api_key%3D[redacted]&x=1'],
    ['an assignment', 'api_key%3Dabcd1234efgh&y=2', 'api_key%3D[redacted]&y=2'],
    ['JSON', '%22apiKey%22%3A%22abcd1234efgh%22%7D', '%22apiKey%22%3A%22[redacted]%22%7D'],
    ['a header', 'Authorization%3A%20Bearer%20abcd1234efgh', 'Authorization%3A%20Bearer%20[redacted]'],
  ])('a URL-encoded key in %s', (_, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('a given secret also URL-encoded', () => {
    expect(scrubSecrets('k=my%2Fkey%2Bvalue', ['my/key+value'])).toBe('k=[redacted]');
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'Incorrect API key provided. You can find your key at https://platform.openai.com/account.',
      'risk-free ask-me task-list desk_organizer risk-assessment-process',
      'a basic idea, the token count, a Token of thanks',
    ]) {
      expect(scrubSecrets(text, [''])).toBe(text);
    }
  });
});
