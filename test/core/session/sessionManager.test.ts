import {
  countTokens,
  EventSource,
  EventType,
  InvalidInputError,
  SessionManager,
  SessionNotFoundError,
  UNKNOWN_MODEL,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

describe.each(storeFactories)('SessionManager on $kind store', (factory) => {
  it('knows its ids synchronously and writes nothing before the first recording call', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, systemPrompt: 'Be brief.' });
    expect(sm.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sm.conversationId).toBe(sm.sessionId);
    await sm.getMessagesForLLM();
    await sm.getStats();
    expect(await store.getSession(sm.sessionId)).toBeUndefined();
    expect(await store.listConversations()).toEqual([]);
    await sm.userSays('hello');
    expect(await store.getSession(sm.sessionId)).toMatchObject({
      id: sm.sessionId,
      systemPrompt: 'Be brief.',
    });
  });

  it('records user, assistant and tool events in order with gapless seq and token usage', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    await sm.userSays('What is 2+2?');
    await sm.aiResponds('4', { model: 'gpt-4o', provider: 'openai' });
    await sm.toolUsed('calculator', { expression: '2+2' }, { value: 4 });
    const events = await sm.getEvents();
    expect(events.map((e) => [e.seq, e.source, e.type])).toEqual([
      [0, EventSource.USER, EventType.MESSAGE],
      [1, EventSource.LLM, EventType.MESSAGE],
      [2, EventSource.SYSTEM, EventType.TOOL_CALL],
    ]);
    // No model named for the user message: recorded as unknown, estimated, never priced.
    expect(events[0]!.tokenUsage).toMatchObject({
      promptTokens: await countTokens('What is 2+2?', UNKNOWN_MODEL),
      completionTokens: 0,
      model: UNKNOWN_MODEL,
      source: 'estimated',
      estimatedCostUsd: null,
    });
    expect(events[1]!.tokenUsage).toMatchObject({ completionTokens: 1, model: 'gpt-4o', source: 'counted' });
    expect(events[2]!.message).toEqual({
      tool: 'calculator',
      arguments: { expression: '2+2' },
      result: { value: 4 },
      error: null,
    });
    const turns = await sm.getConversation();
    expect(turns).toMatchObject([
      { role: 'user', content: 'What is 2+2?', sessionId: sm.sessionId },
      { role: 'assistant', content: '4', model: 'gpt-4o', provider: 'openai' },
    ]);
    expect(Date.parse(turns[0]!.timestamp)).not.toBeNaN();
    const stats = await sm.getStats();
    expect(stats.unpricedTokens).toBe(events[0]!.tokenUsage!.totalTokens);
    expect(stats.estimatedCost).toBe(events[1]!.tokenUsage!.estimatedCostUsd);
  });

  it('a manager with a defaultModel records and prices it for events that name none', async () => {
    const sm = new SessionManager({ store: factory.create(), defaultModel: 'gpt-4o-mini' });
    await sm.userSays('What is 2+2?');
    const [event] = await sm.getEvents();
    expect(event!.tokenUsage).toMatchObject({ model: 'gpt-4o-mini', source: 'counted' });
    expect(event!.tokenUsage!.estimatedCostUsd).toBeGreaterThan(0);
    expect((await sm.getStats()).unpricedTokens).toBe(0);
  });

  it('uses provider-reported usage when given, in either spelling', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await sm.aiResponds('hi', { model: 'gpt-4o-mini', usage: { prompt_tokens: 100, completion_tokens: 20 } });
    await sm.aiResponds('ho', {
      model: 'gpt-4o-mini',
      usage: { promptTokens: 5, completionTokens: 1, totalTokens: 6 },
    });
    const [a, b] = await sm.getEvents();
    expect(a!.tokenUsage).toMatchObject({
      promptTokens: 100,
      completionTokens: 20,
      totalTokens: 120,
      source: 'provider',
    });
    expect(b!.tokenUsage).toMatchObject({ totalTokens: 6, source: 'provider' });
    const stats = await sm.getStats();
    expect(stats.totalTokens).toBe(126);
    expect(stats.estimatedCost).toBeCloseTo(
      a!.tokenUsage!.estimatedCostUsd! + b!.tokenUsage!.estimatedCostUsd!,
      12,
    );
  });

  it('prices known models and leaves unknown ones at null instead of inventing a price', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await sm.aiResponds('hello there', { model: 'gpt-4o-mini' });
    await sm.aiResponds('hello there', { model: 'my-private-model-x' });
    const [known, unknown] = await sm.getEvents();
    expect(known!.tokenUsage!.estimatedCostUsd).toBeGreaterThan(0);
    expect(unknown!.tokenUsage!.estimatedCostUsd).toBeNull();
    expect(unknown!.tokenUsage!.source).toBe('estimated');
    expect((await sm.getStats()).estimatedCost).toBe(known!.tokenUsage!.estimatedCostUsd);
  });

  it('keeps running totals equal to the sum of the events', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await sm.userSays('one two three');
    await sm.aiResponds('four five');
    await sm.toolUsed('search', { q: 'x' }, ['a', 'b']);
    await sm.userSays('six');
    const events = await sm.getEvents();
    const stats = await sm.getStats();
    const sum = (pick: (e: (typeof events)[number]) => number) => events.reduce((s, e) => s + pick(e), 0);
    expect(stats).toMatchObject({
      totalEvents: 4,
      totalMessages: 3,
      userMessages: 2,
      aiMessages: 1,
      toolCalls: 1,
      totalTokens: sum((e) => e.tokenUsage?.totalTokens ?? 0),
      promptTokens: sum((e) => e.tokenUsage?.promptTokens ?? 0),
      completionTokens: sum((e) => e.tokenUsage?.completionTokens ?? 0),
    });
    expect(stats.estimatedCost).toBeCloseTo(
      sum((e) => e.tokenUsage?.estimatedCostUsd ?? 0),
      12,
    );
  });

  it('reopens a conversation from storage with everything intact and the system prompt restored', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, systemPrompt: 'You are terse.', metadata: { title: 'Math' } });
    await sm.userSays('2+2?');
    await sm.aiResponds('4');
    await sm.toolUsed('calc', { e: '2+2' }, 4);
    const before = { events: await sm.getEvents(), stats: await sm.getStats() };

    const again = await SessionManager.open(sm.sessionId, { store: factory.reopen(store) });
    expect(again.systemPrompt).toBe('You are terse.');
    expect(await again.getEvents()).toEqual(before.events);
    const stats = await again.getStats();
    expect({ ...stats, lastUpdate: 0 }).toEqual({ ...before.stats, lastUpdate: 0 });
    expect(await again.getMessagesForLLM()).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: '2+2?' },
      { role: 'assistant', content: '4' },
    ]);
  });

  it('an explicit systemPrompt overrides the stored one when reopening', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, systemPrompt: 'old' });
    await sm.userSays('x');
    const again = await SessionManager.open(sm.sessionId, { store, systemPrompt: 'new' });
    expect((await again.getMessagesForLLM())[0]).toEqual({ role: 'system', content: 'new' });
  });

  it('open() of an unknown id throws SessionNotFoundError; new SessionManager({ sessionId }) creates it', async () => {
    const store = factory.create();
    await expect(SessionManager.open('nope', { store })).rejects.toBeInstanceOf(SessionNotFoundError);
    const sm = new SessionManager({ store, sessionId: 'my-chat' });
    await sm.userSays('hi');
    expect(sm.sessionId).toBe('my-chat');
    expect((await SessionManager.open('my-chat', { store })).conversationId).toBe('my-chat');
  });

  it('updateSystemPrompt persists the new prompt', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store, systemPrompt: 'a' });
    await sm.updateSystemPrompt('b');
    expect(sm.systemPrompt).toBe('b');
    const again = await SessionManager.open(sm.sessionId, { store });
    expect(again.systemPrompt).toBe('b');
  });

  it('serializes concurrent calls on one manager in call order', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? sm.aiResponds(`m${i}`) : sm.userSays(`m${i}`))),
    );
    const events = await sm.getEvents();
    expect(events.map((e) => e.message)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  describe('bad input: a clear error and nothing written', () => {
    it('rejects a non-string message', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('ok');
      await expect(sm.userSays(42 as unknown as string)).rejects.toThrow(
        /message must be a string, got number/,
      );
      await expect(sm.aiResponds({ text: 'x' } as unknown as string)).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      expect((await sm.getEvents()).length).toBe(1);
      expect((await sm.getStats()).totalEvents).toBe(1);
    });

    it('rejects a non-JSON tool result and names the path', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      const error = await sm.toolUsed('t', {}, { rows: [{ when: new Date() }] }).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.path).toBe('result.rows[0].when');
      expect(error.message).toContain('result.rows[0].when');
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(sm.toolUsed('t', cyclic, 1)).rejects.toThrow(/arguments\.self.*circular/);
      await expect(sm.toolUsed('t', {}, () => 1)).rejects.toThrow(
        /result is not JSON-serializable: a function/,
      );
      await expect(sm.toolUsed('t', { n: Number.NaN }, 1)).rejects.toThrow(/arguments\.n/);
      expect(await store.getSession(sm.sessionId)).toBeUndefined();
    });

    it('rejects an empty tool name', async () => {
      const sm = new SessionManager({ store: factory.create() });
      await expect(sm.toolUsed('', {}, 1)).rejects.toThrow(/toolName must not be empty/);
      await expect(sm.toolUsed('  ', {}, 1)).rejects.toBeInstanceOf(InvalidInputError);
      expect((await sm.getStats()).totalEvents).toBe(0);
    });

    it('rejects bad provider usage', async () => {
      const sm = new SessionManager({ store: factory.create() });
      await expect(sm.aiResponds('x', { usage: { prompt_tokens: -1 } })).rejects.toThrow(
        /usage.promptTokens/,
      );
      expect((await sm.getStats()).totalEvents).toBe(0);
    });

    it('throws at once on thresholds that are not positive integers', () => {
      const store = factory.create();
      for (const bad of [0, -1, 1.5, Number.NaN, '10']) {
        expect(() => new SessionManager({ store, tokenThreshold: bad as number })).toThrow(InvalidInputError);
        expect(() => new SessionManager({ store, maxTurnsPerSegment: bad as number })).toThrow(
          /maxTurnsPerSegment must be a positive integer/,
        );
      }
    });
  });
});
