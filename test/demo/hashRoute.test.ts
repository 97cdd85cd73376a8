import { describe, expect, it } from 'vitest';
import { conversationFromHash } from '../../apps/demo/src/useHashRoute';

describe('the selected conversation in the URL', () => {
  it('decodes #/c/<id>', () => {
    expect(conversationFromHash('#/c/abc')).toBe('abc');
    expect(conversationFromHash(`#/c/${encodeURIComponent('conv-<img src=x>')}`)).toBe('conv-<img src=x>');
  });

  it('is null for no id or a malformed percent-encoding, instead of throwing a URIError', () => {
    expect(conversationFromHash('')).toBeNull();
    expect(conversationFromHash('#/')).toBeNull();
    expect(conversationFromHash('#/c/%E0%A4%A')).toBeNull();
    expect(conversationFromHash('#/c/%')).toBeNull();
  });
});
