import {
  EventType,
  getConversationHistory,
  getSessionStats,
  InvalidInputError,
  quickConversation,
  SessionManager,
  SessionNotFoundError,
  trackConversation,
  trackInfiniteConversation,
  trackLLMCall,
  trackToolUse,
} from '@ai-session-manager/core';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { storeFactories } from '../../helpers';

describe.each(storeFactories)('convenience functions on $kind store', (factory) => {
  it('trackConversation records both messages and continues a conversation given its id', async () => {
    const store = factory.create();
    const id = await trackConversation('Hi', 'Hello!', {
      store,
      model: 'gpt-4o',
      provider: 'openai',
      systemPrompt: 'Be kind.',
    });
    await trackConversation('How are you?', 'Fine.', { store, sessionId: id });
    const history = await getConversationHistory(id, { store });
    expect(history.map((t) => [t.role, t.content])).toEqual([
      ['user', 'Hi'],
      ['assistant', 'Hello!'],
      ['user', 'How are you?'],
      ['assistant', 'Fine.'],
    ]);
    expect(history[1]).toMatchObject({ model: 'gpt-4o', provider: 'openai' });
    expect((await SessionManager.open(id, { store })).systemPrompt).toBe('Be kind.');
  });

  it('trackConversation checks both texts before writing anything', async () => {
    const store = factory.create();
    await expect(trackConversation('Hi', 42 as unknown as string, { store })).rejects.toThrow(
      /aiResponse must be a string/,
    );
    expect(await store.listConversations()).toEqual([]);
  });

  it('quickConversation resolves to the stats', async () => {
    const stats = await quickConversation('2+2?', '4', { store: factory.create() });
    expect(stats).toMatchObject({ totalMessages: 2, userMessages: 1, aiMessages: 1, totalEvents: 2 });
    expect(stats.totalTokens).toBeGreaterThan(0);
  });

  it('trackLLMCall records an OpenAI-style response with its usage and model as reported', async () => {
    const store = factory.create();
    const completion = {
      id: 'chatcmpl-1',
      model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
    };
    const llm = vi.fn(async (_input: string) => completion);
    const { response, raw, content, sessionId } = await trackLLMCall('Capital of France?', llm, { store });
    // As upstream's track_llm_call returns (response_text, session_id): the text, the raw result beside it.
    expect(response).toBe('Paris.');
    expect(raw).toBe(completion);
    expect(content).toBe('Paris.');
    expectTypeOf(response).toEqualTypeOf<string>();
    expectTypeOf(raw).toEqualTypeOf<typeof completion>();
    expect(llm).toHaveBeenCalledWith('Capital of France?', expect.any(SessionManager));
    const events = await (await SessionManager.open(sessionId, { store })).getEvents();
    expect(events.map((e) => e.message)).toEqual(['Capital of France?', 'Paris.']);
    expect(events[1]!.tokenUsage).toMatchObject({
      promptTokens: 12,
      completionTokens: 2,
      totalTokens: 14,
      model: 'gpt-4o-2024-08-06',
      source: 'provider',
    });
  });

  it('trackLLMCall accepts a plain string, an object with .content, and Anthropic-style blocks and usage', async () => {
    const store = factory.create();
    const a = await trackLLMCall('q1', () => 'plain answer', { store });
    expect(a.content).toBe('plain answer');
    expect(a.response).toBe('plain answer');
    const b = await trackLLMCall('q2', async () => ({ content: 'object answer' }), {
      store,
      model: 'gpt-4o',
    });
    expect(b.response).toBe('object answer');
    expect(b.raw).toEqual({ content: 'object answer' });
    const c = await trackLLMCall(
      'q3',
      () => ({
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'block answer' }],
        usage: { input_tokens: 9, output_tokens: 3 },
      }),
      { store },
    );
    const [, reply] = await (await SessionManager.open(c.sessionId, { store })).getEvents();
    expect(reply!.message).toBe('block answer');
    expect(reply!.tokenUsage).toMatchObject({
      promptTokens: 9,
      completionTokens: 3,
      totalTokens: 12,
      source: 'provider',
    });
    const [, bReply] = await (await SessionManager.open(b.sessionId, { store })).getEvents();
    expect(bReply!.tokenUsage).toMatchObject({ model: 'gpt-4o', source: 'counted' });
  });

  it('trackLLMCall rejects a response it cannot read, and lets an llmFn error through', async () => {
    const store = factory.create();
    await expect(trackLLMCall('q', () => 42, { store })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      trackLLMCall(
        'q',
        () => {
          throw new Error('network down');
        },
        { store },
      ),
    ).rejects.toThrow('network down');
  });

  it('trackInfiniteConversation rolls over into segments and the readers see every segment', async () => {
    const store = factory.create();
    const turns = Array.from({ length: 6 }, (_, i) => ({ user: `question ${i}`, ai: `answer ${i}` }));
    const result = await trackInfiniteConversation(turns, { store, maxTurnsPerSegment: 4 });
    expect(result.sessionChain.length).toBe(3);
    expect(result.sessionChain[0]).toBe(result.conversationId);
    expect(result.sessionId).toBe(result.sessionChain.at(-1));
    const history = await getConversationHistory(result.sessionId, { store });
    expect(history.map((t) => t.content)).toEqual(turns.flatMap((t) => [t.user, t.ai]));
    const stats = await getSessionStats(result.conversationId, { store });
    expect(stats).toMatchObject({ sessionSegments: 3, totalMessages: 12, summaries: 2 });
    // Continue the same conversation with one more turn.
    const more = await trackInfiniteConversation(
      { user: 'one more', ai: 'sure' },
      { store, sessionId: result.sessionId, maxTurnsPerSegment: 4 },
    );
    expect(more.conversationId).toBe(result.conversationId);
    expect((await getConversationHistory(more.conversationId, { store })).length).toBe(14);
  });

  it('trackToolUse records a tool call, with an error when given', async () => {
    const store = factory.create();
    const id = await trackToolUse('search', { q: 'x' }, null, { store, error: 'timeout', toolCallId: 't1' });
    const [event] = await (await SessionManager.open(id, { store })).getEvents();
    expect(event).toMatchObject({
      type: EventType.TOOL_CALL,
      message: { tool: 'search', arguments: { q: 'x' }, result: null, error: 'timeout', toolCallId: 't1' },
    });
    expect((await getSessionStats(id, { store })).toolCalls).toBe(1);
  });

  it('the readers throw SessionNotFoundError for an unknown id', async () => {
    const store = factory.create();
    await expect(getSessionStats('nope', { store })).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(getConversationHistory('nope', { store })).rejects.toBeInstanceOf(SessionNotFoundError);
  });
});
