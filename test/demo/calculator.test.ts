import { describe, expect, it } from 'vitest';
import { calculate, findExpression, type ScanCounter } from '../../apps/demo/src/calculator';

/** The finder as it was (one regex, quadratic on long runs of numbers): the oracle for short texts. */
const CANDIDATE = /[-(]*\d[\d.,\s]*(?:[)\s]*[+\-*/%^x×÷][\s(]*-?\d[\d.,\s]*[)\s]*)+/gi;
function regexFinder(text: string): string | null {
  const count = (t: string, c: string) => t.split(c).length - 1;
  let best: string | null = null;
  for (const match of text.matchAll(CANDIDATE)) {
    let t = match[0].trim().replace(/[.,]+$/, '');
    while (t.startsWith('(') && count(t, '(') > count(t, ')')) t = t.slice(1).trim();
    while (t.endsWith(')') && count(t, ')') > count(t, '(')) t = t.slice(0, -1).trim();
    if (!/[+\-*/%^x×÷]/i.test(t.replace(/^-/, ''))) continue;
    if (best === null || t.length > best.length) best = t;
  }
  return best;
}

function steps(text: string): number {
  const counter: ScanCounter = { steps: 0 };
  findExpression(text, counter);
  return counter.steps;
}

describe('calculator: finding the expression in a message', () => {
  it('finds the arithmetic in ordinary messages', () => {
    expect(findExpression('What is 12 * 7?')).toBe('12 * 7');
    expect(findExpression('What is (12 + 30) * 2?')).toBe('(12 + 30) * 2');
    expect(findExpression('Compute 6 * 7')).toBe('6 * 7');
    expect(findExpression('What is 3 * 250 for three nights?')).toBe('3 * 250');
    expect(findExpression('-(2 + 3) x 4, please.')).toBe('-(2 + 3) x 4');
    expect(findExpression('Hello there')).toBeNull();
    expect(findExpression('I have 3 cats and 4 dogs')).toBeNull();
  });

  it('agrees with the old regex finder on thousands of random short messages', () => {
    const alphabet = ['1', '23', ' ', '+', '-', '*', '(', ')', '.', ',', 'x', 'a', '?', '÷', '^', '  '];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 14);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(findExpression(text), JSON.stringify(text)).toBe(regexFinder(text));
    }
  });

  it('is linear: 64,000 characters of "1 1 1 …" take a bounded number of steps per character, and the result is right', () => {
    // The old regex restarted at every digit and rescanned the rest: ~n²/4 steps here (10⁹).
    const ones = '1 '.repeat(32_000);
    expect(findExpression(ones)).toBeNull();
    // It looks at every character (so the count is real), and at each a bounded number of times.
    expect(steps(ones)).toBeGreaterThanOrEqual(ones.length / 2);
    expect(steps(ones)).toBeLessThanOrEqual(4 * ones.length);

    const sum = `${'1 + '.repeat(16_000)}1`;
    expect(findExpression(`What is ${sum}?`)).toBe(sum);
    expect(calculate({ expression: findExpression(sum)! })).toEqual({ value: 16_001 });
    expect(steps(sum)).toBeLessThanOrEqual(4 * sum.length);

    // Other shapes that made a backtracking search slow: parentheses, operators without numbers.
    for (const text of [
      `${'('.repeat(32_000)}1 + 2`,
      `1 + ${'('.repeat(32_000)}x`,
      `${'1 +'.repeat(21_000)} a`,
      `${'- ( '.repeat(16_000)}7`,
      `${'1 1 1 ) '.repeat(8_000)}`,
    ]) {
      expect(steps(text), text.slice(0, 12)).toBeLessThanOrEqual(4 * text.length);
    }
    expect(findExpression(`${'('.repeat(32_000)}1 + 2`)).toBe('1 + 2');
  });
});
