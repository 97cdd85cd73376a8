import { readFileSync } from 'node:fs';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { describe, expect, it } from 'vitest';
import {
  countChatTokens,
  countTokens,
  countTokensSync,
  encodingForModel,
  loadTokenizer,
  type TokenEncoding,
  tokenCountSource,
} from '../../../packages/core/src/tokens';
import { ExactTokenCounter } from '../../../packages/core/src/tokens/exactTokenCounter';
import { largePieceTokenCount } from '../../../packages/core/src/tokens/largePieceTokenCount';
import {
  PIECE_CACHE_GENERATION_SIZE,
  PieceCountCache,
} from '../../../packages/core/src/tokens/pieceCountCache';
import { parseRanks } from '../../../packages/core/src/tokens/rankTable';
import { clearPieceCaches, pieceCacheSize } from '../../../packages/core/src/tokens/tokenCounter';

// A copy of /work/shared/fixtures/tiktoken-reference.json, kept in the repo for fresh clones.
const FIXTURE_URL = new URL('../../fixtures/tiktoken-reference.json', import.meta.url);

interface Reference {
  about: string;
  encodings: Record<TokenEncoding, number[]>;
  strings: string[];
}

const reference: Reference = JSON.parse(readFileSync(FIXTURE_URL, 'utf8'));
const MODEL_OF: Record<TokenEncoding, string> = { o200k_base: 'gpt-4o', cl100k_base: 'gpt-4' };
// Strings where js-tiktoken's own split pattern disagrees with OpenAI's tiktoken.
const PLAIN_JS_TIKTOKEN_MISMATCHES: Record<TokenEncoding, number> = { o200k_base: 117, cl100k_base: 81 };

async function importRanks(encoding: TokenEncoding): Promise<TiktokenBPE> {
  return encoding === 'o200k_base'
    ? (await import('js-tiktoken/ranks/o200k_base')).default
    : (await import('js-tiktoken/ranks/cl100k_base')).default;
}

function mismatches(encoding: TokenEncoding, count: (text: string) => number): string[] {
  const expected = reference.encodings[encoding];
  const out: string[] = [];
  reference.strings.forEach((text, i) => {
    const got = count(text);
    if (got !== expected[i]) out.push(`#${i} ${JSON.stringify(text.slice(0, 40))}: ${got} != ${expected[i]}`);
  });
  return out;
}

function randomUnicode(length: number, seed: number): string {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return state;
  };
  const units: string[] = [];
  let size = 0;
  while (size < length) {
    // Mostly BMP (scripts, CJK, punctuation, lone surrogates), some astral (emoji, rare CJK).
    const codePoint = next() % 8 === 0 ? 0x10000 + (next() % 0x100000) : next() % 0x10000;
    const char = String.fromCodePoint(codePoint);
    units.push(char);
    size += char.length;
  }
  return units.join('');
}

// Must run first: nothing may have loaded a tokenizer yet.
describe('lazy loading', () => {
  it('loads no ranks at import: sync counting needs loadTokenizer first', () => {
    expect(pieceCacheSize()).toBe(0);
    expect(() => countTokensSync('hello', 'gpt-4o')).toThrow(/loadTokenizer/);
    expect(() => countTokensSync('hello', 'gpt-4')).toThrow(/cl100k_base/);
  });

  it('counts synchronously once the encoding is loaded', async () => {
    await loadTokenizer('gpt-4o-mini');
    expect(countTokensSync('hello world', 'gpt-4o-mini')).toBe(2);
    await loadTokenizer('cl100k_base');
    expect(countTokensSync('hello world', 'gpt-3.5-turbo')).toBe(2);
  });
});

describe('exact counts against OpenAI tiktoken', () => {
  it('has the expected fixture shape', () => {
    expect(reference.strings).toHaveLength(1679);
    expect(reference.encodings.o200k_base).toHaveLength(1679);
    expect(reference.encodings.cl100k_base).toHaveLength(1679);
  });

  it.each(['o200k_base', 'cl100k_base'] as const)('matches all %s reference counts', async (encoding) => {
    await loadTokenizer(encoding);
    const wrong = mismatches(encoding, (text) => countTokensSync(text, MODEL_OF[encoding]));
    expect(wrong, `mismatches:\n${wrong.join('\n')}`).toEqual([]);
  });

  it.each(['o200k_base', 'cl100k_base'] as const)(
    'plain js-tiktoken misses the %s reference on the strings the fixture stresses',
    async (encoding) => {
      const plain = new Tiktoken(await importRanks(encoding));
      const wrong = mismatches(encoding, (text) => plain.encode(text, [], []).length);
      expect(wrong).toHaveLength(PLAIN_JS_TIKTOKEN_MISMATCHES[encoding]);
    },
  );

  it('counts special-token text as plain text without throwing', async () => {
    const text = 'before <|endoftext|> after <|endofprompt|>';
    const plain = new Tiktoken(await importRanks('o200k_base'));
    const count = await countTokens(text, 'gpt-4o');
    expect(count).toBe(plain.encode(text, [], []).length);
    expect(await countTokens('<|endoftext|>', 'gpt-4o')).toBeGreaterThan(1);
    expect(await countTokens('<|endoftext|>', 'gpt-4')).toBeGreaterThan(1);
  });

  it('counts the empty string as 0', async () => {
    expect(await countTokens('')).toBe(0);
  });
});

describe('long pieces', () => {
  it.each(['o200k_base', 'cl100k_base'] as const)(
    "parses the %s rank file into exactly js-tiktoken's ranks",
    async (encoding) => {
      const data = await importRanks(encoding);
      const table = parseRanks(data.bpe_ranks);
      const { rankMap } = new Tiktoken(data) as unknown as { rankMap: Map<string, number> };
      expect(table.size).toBe(rankMap.size);
      for (const [key, rank] of rankMap) {
        const bytes = Uint8Array.from(key.split(','), Number);
        if (table.rank(bytes, 0, bytes.length) !== rank) expect.fail(`${key}: ${rank}`);
      }
      expect(table.rank(new Uint8Array([0xff, 0xfe, 0xfd, 0xfc]), 0, 4)).toBe(-1);
    },
  );

  it('the heap merge equals js-tiktoken BPE on long pieces', async () => {
    const data = await importRanks('o200k_base');
    const encoder = new Tiktoken({ ...data, pat_str: '[^]+' });
    const ranks = parseRanks(data.bpe_ranks);
    const textEncoder = new TextEncoder();
    const alphabets = ['a', 'ab', 'abcdefghij', ' ', ' \t', '-=', '*#~', '中文字', 'жΩδ', '0123456789', '🙂'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    for (const alphabet of alphabets) {
      const chars = [...alphabet];
      for (const length of [2, 17, 40, 120, 300]) {
        let piece = '';
        for (let i = 0; i < length; i++) piece += chars[Math.floor(random() * chars.length)];
        const expected = encoder.encode(piece, [], []).length;
        const bytes = textEncoder.encode(piece);
        expect(largePieceTokenCount(bytes, bytes.length, ranks), piece).toBe(expected);
      }
    }
  });

  it('counts every piece length (one token, short merge, heap merge) as js-tiktoken BPE does', async () => {
    const data = await importRanks('cl100k_base');
    const encoder = new Tiktoken({ ...data, pat_str: '[^]+' });
    const counter = new ExactTokenCounter(/[\s\S]+/gu, parseRanks(data.bpe_ranks));
    const words = ['the', ' quick', 'ing', 'ation', '中', 'ж', '🙂', ' ', '\n', '=', '0', 'é', "'s"];
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let i = 0; i < 2_000; i++) {
      let piece = '';
      const parts = 1 + Math.floor(random() * (i % 40));
      for (let j = 0; j < parts; j++) piece += words[Math.floor(random() * words.length)];
      expect(counter.count(piece), JSON.stringify(piece)).toBe(encoder.encode(piece, [], []).length);
    }
  });

  it('counts long runs (one huge piece each) quickly', async () => {
    await loadTokenizer('gpt-4o');
    const started = performance.now();
    for (const char of [' ', 'a', '-', '\n', '中']) {
      expect(countTokensSync(char.repeat(200_000), 'gpt-4o')).toBeGreaterThan(0);
    }
    // js-tiktoken alone needs over a second for 4,000 bytes of one piece (quadratic).
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('counts a 2 MB random unicode string', async () => {
    const text = randomUnicode(2_000_000, 42);
    const count = await countTokens(text, 'gpt-4o');
    expect(Number.isInteger(count)).toBe(true);
    expect(count).toBeGreaterThan(100_000);
    expect(await countTokens(text, 'gpt-4')).toBeGreaterThan(100_000);
  });
});

describe('piece cache', () => {
  it('gives the same count twice and stays bounded', async () => {
    await loadTokenizer('gpt-4o');
    clearPieceCaches();
    const words: string[] = [];
    for (let i = 0; i < 3 * PIECE_CACHE_GENERATION_SIZE; i++) words.push(`w${i.toString(36)}x`);
    const text = words.join(' ');
    const first = countTokensSync(text, 'gpt-4o');
    const second = countTokensSync(text, 'gpt-4o');
    expect(second).toBe(first);
    clearPieceCaches();
    expect(countTokensSync(text, 'gpt-4o')).toBe(first);
    expect(pieceCacheSize('o200k_base')).toBeGreaterThan(0);
    expect(pieceCacheSize('o200k_base')).toBeLessThanOrEqual(2 * PIECE_CACHE_GENERATION_SIZE);
  });

  it('promotes old-generation hits and never exceeds two generations', () => {
    const cache = new PieceCountCache(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // young {a,b} becomes old
    expect(cache.get('a')).toBe(1); // promoted into young {c,a}
    cache.set('d', 4); // young {c,a} becomes old, {b} dropped
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});

describe('models', () => {
  it('maps OpenAI models to their encodings', () => {
    const o200k = [
      'gpt-4o',
      'gpt-4o-mini-2024-07-18',
      'gpt-4.1-nano',
      'gpt-4.5-preview',
      'o1',
      'o1-mini',
      'o3',
    ];
    const more = ['o3-pro', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'chatgpt-4o-latest', 'openai/gpt-4o', 'GPT-4O'];
    for (const model of [...o200k, ...more, 'ft:gpt-4o-mini:acme::abc123', 'gpt-oss-120b']) {
      expect(encodingForModel(model), model).toBe('o200k_base');
    }
    const cl100k = ['gpt-4', 'gpt-4-0613', 'gpt-4-turbo', 'gpt-4-32k', 'gpt-3.5-turbo', 'gpt-35-turbo'];
    for (const model of [...cl100k, 'text-embedding-3-small', 'text-embedding-ada-002', 'azure/gpt-4']) {
      expect(encodingForModel(model), model).toBe('cl100k_base');
    }
  });

  it('estimates other families', async () => {
    const others = ['claude-sonnet-4-5', 'anthropic/claude-3-5-haiku', 'gemini-2.5-pro', 'llama-3.1-8b'];
    for (const model of [...others, 'mistral-large-latest', 'o5x', 'unknown-model', '']) {
      expect(encodingForModel(model), model).toBeNull();
      expect(tokenCountSource(model), model).toBe('estimated');
    }
    expect(tokenCountSource('gpt-4o')).toBe('counted');
    // The documented estimate: the o200k_base count.
    const text = 'Estimate me, please: 東京は晴れ。';
    expect(await countTokens(text, 'claude-sonnet-4-5')).toBe(await countTokens(text, 'gpt-4o'));
    await loadTokenizer('gemini-2.5-pro');
    expect(countTokensSync(text, 'gemini-2.5-pro')).toBe(await countTokens(text, 'gpt-4o'));
  });
});

describe('chat messages', () => {
  it("adds OpenAI's cookbook overhead to role and content tokens", async () => {
    const messages = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'What is 2 + 2?' },
      { role: 'user', content: 'Hi', name: 'alice' },
    ];
    let expected = 3;
    for (const m of messages) {
      expected += 3 + (await countTokens(m.role)) + (await countTokens(m.content));
      if (m.name) expected += 1 + (await countTokens(m.name));
    }
    expect(await countChatTokens(messages)).toBe(expected);
    expect(await countChatTokens([])).toBe(3);
  });
});

describe('input validation', () => {
  it('throws a TypeError for non-string text', async () => {
    await expect(countTokens(123 as unknown as string)).rejects.toThrow(TypeError);
    await expect(countTokens(null as unknown as string)).rejects.toThrow(/text must be a string/);
    expect(() => countTokensSync(undefined as unknown as string)).toThrow(TypeError);
    await expect(countChatTokens([{ role: 'user', content: 5 as unknown as string }])).rejects.toThrow(
      /messages\[0\]\.content/,
    );
  });
});
