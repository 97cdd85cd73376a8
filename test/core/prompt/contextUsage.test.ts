// getContextUsage: the tokens of what getMessagesForLLM would send (summary included) against the
// model's context window, for a chat UI's context gauge.
import {
  countChatTokens,
  InvalidInputError,
  MemorySessionStore,
  registerModel,
  SessionManager,
  unregisterModel,
} from '@ai-session-manager/core';
import { afterEach, describe, expect, it } from 'vitest';

afterEach(() => {
  unregisterModel('tiny-window');
});

describe('getContextUsage', () => {
  it('counts exactly what getMessagesForLLM returns, against the catalog window', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore(), systemPrompt: 'Be brief.' });
    await sm.userSays('What is the capital of Italy?');
    await sm.aiResponds('Rome.');
    const usage = await sm.getContextUsage({ model: 'gpt-4o' });
    const sent = await sm.getMessagesForLLM({ model: 'gpt-4o' });
    expect(usage).toMatchObject({
      model: 'gpt-4o',
      tokens: await countChatTokens(sent, 'gpt-4o'),
      contextWindow: 128_000,
      messages: 3,
      includesSummary: false,
      source: 'counted',
    });
    expect(usage.fraction).toBeCloseTo(usage.tokens / 128_000, 12);
    expect(usage.remaining).toBe(128_000 - usage.tokens);
  });

  it('includes the rollover summary and only the current segment after a rollover', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({
      store,
      infiniteContext: true,
      maxTurnsPerSegment: 4,
      defaultModel: 'gpt-4o-mini',
    });
    for (let i = 0; i < 4; i++) {
      await sm.userSays(`Fact number ${i}: the sky is ${i} shades of blue, and I want to remember it.`);
      await sm.aiResponds(`Noted fact ${i}.`);
    }
    expect((await sm.getSessionChain()).length).toBeGreaterThan(1);
    const usage = await sm.getContextUsage();
    const sent = await sm.getMessagesForLLM();
    expect(usage.includesSummary).toBe(true);
    expect(usage.model).toBe('gpt-4o-mini');
    expect(usage.tokens).toBe(await countChatTokens(sent, 'gpt-4o-mini'));
    // Earlier segments reach the model only through the summary.
    const everything = await sm.getConversation({ includeAllSegments: true });
    expect(usage.messages).toBe(sent.length);
    expect(sent.length - 1).toBeLessThan(everything.length);
  });

  it('honours maxTokens as getMessagesForLLM does', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    for (let i = 0; i < 10; i++) await sm.userSays(`message ${i} `.repeat(20));
    const full = await sm.getContextUsage();
    const budget = await sm.getContextUsage({ maxTokens: 200 });
    expect(budget.tokens).toBeLessThanOrEqual(200);
    expect(budget.tokens).toBeLessThan(full.tokens);
  });

  it('uses a registered window, and reports null for a model whose window is unknown', async () => {
    registerModel({
      id: 'tiny-window',
      inputPerMTok: 0,
      outputPerMTok: 0,
      contextWindow: 50,
      encoding: 'o200k_base',
    });
    const sm = new SessionManager({ store: new MemorySessionStore(), defaultModel: 'tiny-window' });
    await sm.userSays('word '.repeat(100));
    const over = await sm.getContextUsage();
    expect(over.contextWindow).toBe(50);
    expect(over.fraction).toBeGreaterThan(1);
    expect(over.remaining).toBe(0);
    const unknown = await sm.getContextUsage({ model: 'my-local-llama-finetune' });
    expect(unknown).toMatchObject({
      contextWindow: null,
      fraction: null,
      remaining: null,
      source: 'estimated',
    });
    expect(unknown.tokens).toBeGreaterThan(100);
  });

  it('an empty conversation costs only the reply priming; bad options are refused', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    expect((await sm.getContextUsage()).messages).toBe(0);
    await expect(sm.getContextUsage({ model: '' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(sm.getContextUsage('gpt-4o' as never)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(sm.getContextUsage({ maxTokens: -5 })).rejects.toBeInstanceOf(InvalidInputError);
  });
});
