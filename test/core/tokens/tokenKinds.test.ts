// Tokens by kind: cached prompt tokens (read and written) and reasoning tokens, as OpenAI and
// Anthropic report them, recorded on the event, priced at the catalog's cache prices and summed in
// totals and stats. The usage objects are typed with the providers' own SDK types.
import type Anthropic from '@anthropic-ai/sdk';
import {
  exportConversation,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  type ProviderUsage,
  registerModel,
  SessionManager,
  unregisterModel,
} from '@ai-session-manager/core';
import { lessCountedCompletion } from '@ai-session-manager/core/chat';
import type { LanguageModelUsage } from 'ai';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ResponseUsage } from 'openai/resources/responses/responses';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogPrice } from '../../../packages/core/src/pricing/priceCatalog';

const M = 1_000_000;

/** The catalog's flat rates of `model` (USD per million tokens). */
async function rates(model: string): Promise<Record<string, number>> {
  const price = (await catalogPrice(model, { input_tokens: 0, output_tokens: 0 }))?.model_price;
  const flat: Record<string, number> = {};
  for (const [key, value] of Object.entries(price ?? {})) {
    flat[key] = typeof value === 'number' ? value : (value as { base: number }).base;
  }
  return flat;
}

const openAIUsage: CompletionUsage = {
  prompt_tokens: 1000,
  completion_tokens: 300,
  total_tokens: 1300,
  prompt_tokens_details: { cached_tokens: 400, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 200, audio_tokens: 0 },
};

const anthropicUsage: Anthropic.Usage = {
  input_tokens: 50,
  output_tokens: 120,
  cache_read_input_tokens: 2000,
  cache_creation_input_tokens: 500,
  cache_creation: null,
  server_tool_use: null,
  service_tier: 'standard',
  inference_geo: null,
  output_tokens_details: null,
  speed: null,
};

describe('token kinds from provider usage', () => {
  it('records OpenAI cached and reasoning tokens and prices the cached part at the cache price', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Explain caching');
    await sm.aiResponds('Cached tokens are cheaper.', { model: 'gpt-4o', usage: openAIUsage });
    const reply = (await sm.getEvents()).at(-1)!;
    expect(reply.tokenUsage).toMatchObject({
      promptTokens: 1000,
      completionTokens: 300,
      totalTokens: 1300,
      cachedPromptTokens: 400,
      reasoningTokens: 200,
      source: 'provider',
    });
    expect(reply.tokenUsage?.cacheWriteTokens).toBeUndefined();
    const r = await rates('gpt-4o');
    expect(r.cache_read_mtok).toBeLessThan(r.input_mtok!);
    const expected = (600 * r.input_mtok! + 400 * r.cache_read_mtok! + 300 * r.output_mtok!) / M;
    expect(reply.tokenUsage?.estimatedCostUsd).toBeCloseTo(expected, 12);
    // Cheaper than the same tokens without the cache.
    expect(expected).toBeLessThan((1000 * r.input_mtok! + 300 * r.output_mtok!) / M);
  });

  it("adds Anthropic's cache reads and writes to the prompt and prices each at its own rate", async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Summarize the document');
    await sm.aiResponds('Here is the summary.', { model: 'claude-3-5-haiku-latest', usage: anthropicUsage });
    const usage = (await sm.getEvents()).at(-1)!.tokenUsage!;
    expect(usage).toMatchObject({
      promptTokens: 2550,
      completionTokens: 120,
      totalTokens: 2670,
      cachedPromptTokens: 2000,
      cacheWriteTokens: 500,
    });
    const r = await rates('claude-3-5-haiku-latest');
    const expected =
      (50 * r.input_mtok! + 2000 * r.cache_read_mtok! + 500 * r.cache_write_mtok! + 120 * r.output_mtok!) / M;
    expect(usage.estimatedCostUsd).toBeCloseTo(expected, 12);
  });

  it("reads Anthropic's thinking tokens, OpenAI Responses' details and the AI SDK's LanguageModelUsage", async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    const usageOf = async (usage: ProviderUsage) => {
      await sm.aiResponds('a', { model: 'gpt-4o', usage });
      return (await sm.getEvents()).at(-1)!.tokenUsage!;
    };
    // Anthropic with extended thinking: output_tokens_details.thinking_tokens.
    expect(
      await usageOf({ ...anthropicUsage, output_tokens_details: { thinking_tokens: 80 } }),
    ).toMatchObject({
      promptTokens: 2550,
      completionTokens: 120,
      reasoningTokens: 80,
    });
    // OpenAI Responses API: input_tokens already include the cached ones (nothing is added).
    const responses: ResponseUsage = {
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 600 },
      output_tokens: 50,
      output_tokens_details: { reasoning_tokens: 30 },
      total_tokens: 1050,
    };
    expect(await usageOf(responses)).toMatchObject({
      promptTokens: 1000,
      cachedPromptTokens: 600,
      completionTokens: 50,
      reasoningTokens: 30,
      totalTokens: 1050,
    });
    // The AI SDK's usage passed as is (inputTokens includes cache reads and writes).
    const sdk: LanguageModelUsage = {
      inputTokens: 900,
      inputTokenDetails: { noCacheTokens: 300, cacheReadTokens: 500, cacheWriteTokens: 100 },
      outputTokens: 40,
      outputTokenDetails: { textTokens: 25, reasoningTokens: 15 },
      totalTokens: 940,
    };
    expect(await usageOf(sdk)).toMatchObject({
      promptTokens: 900,
      cachedPromptTokens: 500,
      cacheWriteTokens: 100,
      completionTokens: 40,
      reasoningTokens: 15,
    });
  });

  it('a streamed reply finished with usage carries the kinds too', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Think hard');
    const reply = await sm.beginResponse({ model: 'o3-mini' });
    reply.append('Done thinking.');
    const event = await reply.finish({ usage: openAIUsage });
    expect(event.tokenUsage).toMatchObject({ cachedPromptTokens: 400, reasoningTokens: 200 });
  });

  it('sums the kinds in totals and stats across segments, and counts the same as the events', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    for (let i = 0; i < 3; i++) {
      await sm.userSays(`question ${i}`);
      await sm.aiResponds(`answer ${i}`, { model: 'gpt-4o', usage: openAIUsage });
    }
    await sm.aiResponds('no cache here', {
      model: 'gpt-4o',
      usage: { prompt_tokens: 10, completion_tokens: 5 },
    });
    const stats = await sm.getStats({ includeAllSegments: true });
    expect(stats.sessionSegments).toBeGreaterThan(1);
    expect(stats).toMatchObject({ cachedPromptTokens: 1200, reasoningTokens: 600, cacheWriteTokens: 0 });
    const events = await sm.getEvents({ includeAllSegments: true });
    const sum = (key: 'cachedPromptTokens' | 'reasoningTokens') =>
      events.reduce((n, e) => n + (e.tokenUsage?.[key] ?? 0), 0);
    expect(stats.cachedPromptTokens).toBe(sum('cachedPromptTokens'));
    expect(stats.reasoningTokens).toBe(sum('reasoningTokens'));
    // Only the head segment.
    const head = await sm.getStats({ includeAllSegments: false });
    expect(head.cachedPromptTokens).toBeLessThan(stats.cachedPromptTokens);
    // A fresh manager (another tab, a reload) reads the same from the head row.
    const again = await SessionManager.open(sm.conversationId, { store });
    expect(await again.getStats({ includeAllSegments: true })).toMatchObject({
      cachedPromptTokens: 1200,
      reasoningTokens: 600,
    });
  });

  it('keeps the kinds through export and import, and rejects a file whose kind totals were edited', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    await sm.userSays('hello');
    await sm.aiResponds('hi', { model: 'gpt-4o', usage: openAIUsage });
    const doc = await exportConversation(sm.conversationId, { store });
    const target = new MemorySessionStore();
    await importConversation(doc, { store: target });
    const imported = await SessionManager.open(sm.conversationId, { store: target });
    expect(await imported.getStats()).toMatchObject({ cachedPromptTokens: 400, reasoningTokens: 200 });
    const edited = structuredClone(doc);
    edited.sessions[0]!.totals.cachedPromptTokens = 0;
    const other = new MemorySessionStore();
    await expect(importConversation(edited, { store: other })).rejects.toMatchObject({
      path: 'sessions[0].totals.cachedPromptTokens',
    });
    expect(await other.listConversations()).toEqual([]);
  });
});

describe('registered models with cache prices', () => {
  afterEach(() => {
    unregisterModel('house-model');
  });

  it('prices cache reads and writes at the registered rates, and at the input rate when none is given', async () => {
    registerModel({
      id: 'house-model',
      inputPerMTok: 2,
      outputPerMTok: 8,
      cachedInputPerMTok: 0.5,
      cacheWritePerMTok: 2.5,
    });
    const sm = new SessionManager({ store: new MemorySessionStore(), defaultModel: 'house-model' });
    await sm.userSays('q');
    await sm.aiResponds('a', {
      usage: { promptTokens: 1000, completionTokens: 10, cachedPromptTokens: 600, cacheWriteTokens: 100 },
    });
    const cost = (await sm.getEvents()).at(-1)!.tokenUsage!.estimatedCostUsd!;
    expect(cost).toBeCloseTo((300 * 2 + 600 * 0.5 + 100 * 2.5 + 10 * 8) / M, 12);

    registerModel({ id: 'house-model', inputPerMTok: 2, outputPerMTok: 8 });
    await sm.aiResponds('b', {
      usage: { promptTokens: 1000, completionTokens: 10, cachedPromptTokens: 600 },
    });
    const plain = (await sm.getEvents()).at(-1)!.tokenUsage!.estimatedCostUsd!;
    expect(plain).toBeCloseTo((1000 * 2 + 10 * 8) / M, 12);
  });

  it('refuses negative cache prices', () => {
    expect(() =>
      registerModel({ id: 'house-model', inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: -1 }),
    ).toThrow(/cachedInputPerMTok/);
  });
});

describe('bad usage is refused and nothing is written', () => {
  it.each([
    [
      { prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 11 } },
      'usage.cachedPromptTokens',
    ],
    [
      { prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 6 } },
      'usage.reasoningTokens',
    ],
    [{ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: -3 }, 'usage.cachedPromptTokens'],
    [{ promptTokens: 10, completionTokens: 5, reasoningTokens: 1.5 }, 'usage.reasoningTokens'],
  ])('%j → %s', async (usage, path) => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    await sm.userSays('q');
    const error = await sm.aiResponds('a', { usage }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).path).toBe(path);
    expect((await sm.getEvents()).map((e) => e.message)).toEqual(['q']);
  });

  it('a usage object with no count we know is refused, not recorded as 0 tokens', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('q');
    for (const usage of [{}, { prompt_tokens_details: { cached_tokens: 3 } }, { tokens: 12 }]) {
      const error = await sm.aiResponds('a', { usage: usage as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).path).toBe('usage');
    }
    expect((await sm.getEvents()).map((e) => e.message)).toEqual(['q']);
  });

  it('null details count as not reported', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.aiResponds('a', {
      usage: {
        prompt_tokens: 10,
        completion_tokens: 5,
        prompt_tokens_details: null,
        completion_tokens_details: null,
      },
    });
    const usage = (await sm.getEvents()).at(-1)!.tokenUsage!;
    expect(usage.promptTokens).toBe(10);
    expect('cachedPromptTokens' in usage).toBe(false);
  });
});

describe('a response billed once (lessCountedCompletion)', () => {
  it('takes counted text tokens off the completion and the total, keeps the kinds, never below zero', () => {
    const usage = {
      promptTokens: 1000,
      cachedPromptTokens: 400,
      completionTokens: 60,
      reasoningTokens: 40,
      totalTokens: 1060,
    };
    expect(lessCountedCompletion(usage, 15)).toEqual({ ...usage, completionTokens: 45, totalTokens: 1045 });
    expect(lessCountedCompletion(usage, 100)).toEqual({ ...usage, completionTokens: 0, totalTokens: 1000 });
    expect(lessCountedCompletion(usage, 0)).toBe(usage);
    // A provider shape without camelCase counts is left for core to read as it is.
    const raw: ProviderUsage = { prompt_tokens: 10, completion_tokens: 5 };
    expect(lessCountedCompletion(raw, 3)).toBe(raw);
  });
});
