/**
 * The demo's one tool: a small arithmetic evaluator (no `eval`). Supports + - * / % ^,
 * parentheses, unary minus and decimals; `x`, `×` and `÷` are read as * and /.
 */

export interface CalculatorArgs {
  expression: string;
}

export type CalculatorResult = { value: number } | { error: string };

const OPERATOR = /[+\-*/%^x×÷]/;
/** A run of arithmetic characters that contains at least two numbers joined by an operator. */
const CANDIDATE = /[-(]*\d[\d.,\s]*(?:[)\s]*[+\-*/%^x×÷][\s(]*-?\d[\d.,\s]*[)\s]*)+/gi;

/** The longest arithmetic expression in `text`, e.g. `12 * 7` in "What is 12 * 7?". */
export function findExpression(text: string): string | null {
  let best: string | null = null;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = trimExpression(match[0]);
    if (!OPERATOR.test(candidate.replace(/^-/, ''))) continue;
    if (best === null || candidate.length > best.length) best = candidate;
  }
  return best;
}

function trimExpression(raw: string): string {
  let text = raw.trim().replace(/[.,]+$/, '');
  // Drop unmatched parentheses at either end.
  while (text.startsWith('(') && count(text, '(') > count(text, ')')) text = text.slice(1).trim();
  while (text.endsWith(')') && count(text, ')') > count(text, '(')) text = text.slice(0, -1).trim();
  return text;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Evaluate an arithmetic expression; errors (bad syntax, division by zero) come back as `{ error }`. */
export function calculate(args: CalculatorArgs): CalculatorResult {
  try {
    const value = new Parser(args.expression).parse();
    if (!Number.isFinite(value)) return { error: 'The result is not a finite number (division by zero?).' };
    return { value: round(value) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function round(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}

type Token = { kind: 'number'; value: number } | { kind: 'op'; value: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const text = expression.replace(/[x×]/gi, '*').replace(/÷/g, '/');
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (/[\d.]/.test(char)) {
      const match = /^(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?/.exec(text.slice(i));
      const literal = match?.[0] ?? '';
      if (literal === '' || literal === '.') throw new Error(`Unexpected "${char}" at position ${i + 1}.`);
      tokens.push({ kind: 'number', value: Number.parseFloat(literal.replace(/,/g, '')) });
      i += literal.length;
    } else if ('+-*/%^()'.includes(char)) {
      tokens.push({ kind: 'op', value: char });
      i++;
    } else {
      throw new Error(`Unexpected "${char}" at position ${i + 1}.`);
    }
  }
  return tokens;
}

/** Recursive descent: sum := product (('+'|'-') product)*; product := unary (('*'|'/'|'%') unary)*; … */
class Parser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(expression: string) {
    this.tokens = tokenize(expression);
  }

  parse(): number {
    if (this.tokens.length === 0) throw new Error('The expression is empty.');
    const value = this.sum();
    if (this.position < this.tokens.length) throw new Error('Unexpected input after the expression.');
    return value;
  }

  private peek(): string | undefined {
    const token = this.tokens[this.position];
    return token?.kind === 'op' ? token.value : undefined;
  }

  private sum(): number {
    let value = this.product();
    for (let op = this.peek(); op === '+' || op === '-'; op = this.peek()) {
      this.position++;
      const right = this.product();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  private product(): number {
    let value = this.unary();
    for (let op = this.peek(); op === '*' || op === '/' || op === '%'; op = this.peek()) {
      this.position++;
      const right = this.unary();
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }

  /** Unary minus binds looser than ^, so -2^2 is -4 as in mathematics. */
  private unary(): number {
    const op = this.peek();
    if (op === '-' || op === '+') {
      this.position++;
      const value = this.unary();
      return op === '-' ? -value : value;
    }
    return this.power();
  }

  /** Right-associative: 2^3^2 is 2^9. */
  private power(): number {
    const base = this.primary();
    if (this.peek() !== '^') return base;
    this.position++;
    return base ** this.unary();
  }

  private primary(): number {
    const token = this.tokens[this.position];
    if (!token) throw new Error('The expression ends too early.');
    this.position++;
    if (token.kind === 'number') return token.value;
    if (token.value === '(') {
      const value = this.sum();
      if (this.peek() !== ')') throw new Error('A closing parenthesis is missing.');
      this.position++;
      return value;
    }
    throw new Error(`Unexpected "${token.value}".`);
  }
}
