/**
 * The demo's one tool: a small arithmetic evaluator (no `eval`). Supports + - * / % ^,
 * parentheses, unary minus and decimals; `x`, `×` and `÷` are read as * and /.
 */

export interface CalculatorArgs {
  expression: string;
}

export type CalculatorResult = { value: number } | { error: string };

/** Counts the characters a search looked at, so a test can check it stays linear in the text's length. */
export interface ScanCounter {
  steps: number;
}

/**
 * The longest arithmetic expression in `text`, e.g. `12 * 7` in "What is 12 * 7?": a run of
 * arithmetic characters with at least two numbers joined by an operator. One left-to-right scan
 * (linear in the text's length): an attempt that fails resumes after the number it started at.
 */
export function findExpression(text: string, counter: ScanCounter = { steps: 0 }): string | null {
  let best: string | null = null;
  let from = 0;
  while (from < text.length) {
    const digit = nextDigit(text, from, counter);
    if (digit < 0) break;
    // A leading run of '-' and '(' belongs to the expression (but not before where this search began).
    let start = digit;
    while (start > from && (text[start - 1] === '-' || text[start - 1] === '(')) {
      start--;
      counter.steps++;
    }
    const numberEnd = skipNumber(text, digit, counter);
    const end = skipOperations(text, numberEnd, counter);
    if (end === numberEnd) {
      from = numberEnd; // no operator after this number: no match starts inside it
      continue;
    }
    const candidate = trimExpression(text.slice(start, end));
    if (hasOperator(candidate) && (best === null || candidate.length > best.length)) best = candidate;
    from = end;
  }
  return best;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

function isOperator(char: string | undefined): boolean {
  return char !== undefined && '+-*/%^xX×÷'.includes(char);
}

function nextDigit(text: string, from: number, counter: ScanCounter): number {
  for (let i = from; i < text.length; i++) {
    counter.steps++;
    if (isDigit(text[i])) return i;
  }
  return -1;
}

/** A number as the finder reads it: a digit, then digits, '.', ',' and spaces. */
function skipNumber(text: string, i: number, counter: ScanCounter): number {
  let j = i + 1;
  while (j < text.length && (isDigit(text[j]) || text[j] === '.' || text[j] === ',' || isSpace(text[j]))) {
    j++;
    counter.steps++;
  }
  return j;
}

/** `([)\s]* operator [\s(]* -? number [)\s]*)*` from `i`: where the last whole operation ends. */
function skipOperations(text: string, i: number, counter: ScanCounter): number {
  let end = i;
  for (;;) {
    let k = end;
    while (k < text.length && (text[k] === ')' || isSpace(text[k]))) {
      k++;
      counter.steps++;
    }
    if (!isOperator(text[k])) return end;
    k++;
    while (k < text.length && (text[k] === '(' || isSpace(text[k]))) {
      k++;
      counter.steps++;
    }
    if (text[k] === '-') k++;
    if (!isDigit(text[k])) return end;
    k = skipNumber(text, k, counter);
    while (k < text.length && (text[k] === ')' || isSpace(text[k]))) {
      k++;
      counter.steps++;
    }
    counter.steps++;
    end = k;
  }
}

function hasOperator(candidate: string): boolean {
  for (let i = candidate.startsWith('-') ? 1 : 0; i < candidate.length; i++) {
    if (isOperator(candidate[i])) return true;
  }
  return false;
}

/** Trim spaces and trailing '.' ',' and unmatched parentheses at either end, in one pass each way. */
function trimExpression(raw: string): string {
  let text = raw.trim().replace(/[.,]+$/, '');
  let open = 0;
  let close = 0;
  for (const char of text) {
    if (char === '(') open++;
    else if (char === ')') close++;
  }
  let start = 0;
  let end = text.length;
  const trimBoth = () => {
    while (start < end && isSpace(text[start])) start++;
    while (end > start && isSpace(text[end - 1])) end--;
  };
  while (start < end && open > close && text[start] === '(') {
    start++;
    open--;
    trimBoth();
  }
  while (end > start && close > open && text[end - 1] === ')') {
    end--;
    close--;
    trimBoth();
  }
  text = text.slice(start, end);
  return text;
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

/** Sticky, so reading a number never copies the rest of the expression. */
const NUMBER = /(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?/y;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const text = expression.replace(/[x×]/gi, '*').replace(/÷/g, '/');
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (/[\d.]/.test(char)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
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
