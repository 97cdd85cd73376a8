import { describe, expect, it } from 'vitest';
import { replaceEqualDeep } from '../../packages/react/src/replaceEqualDeep';

describe('replaceEqualDeep', () => {
  it('keeps the previous reference when nothing changed, and shares unchanged branches', () => {
    const prev = { a: { x: 1 }, b: [1, 2] };
    expect(replaceEqualDeep(prev, { a: { x: 1 }, b: [1, 2] })).toBe(prev);
    const next = replaceEqualDeep(prev, { a: { x: 1 }, b: [1, 3] });
    expect(next).toEqual({ a: { x: 1 }, b: [1, 3] });
    expect(next.a).toBe(prev.a);
  });

  it('keeps a "__proto__" key from stored JSON as a key', () => {
    const next = JSON.parse('{"__proto__":{"x":1},"a":2}') as Record<string, unknown>;
    const merged = replaceEqualDeep({ a: 1 }, next);
    expect(Object.keys(merged)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});
