import {
  type ChatMessage,
  countChatTokens,
  EventType,
  SessionManager,
  type SummarizeFn,
} from '@ai-session-manager/core';
import { describe, expect, it, vi } from 'vitest';
import { storeFactories } from '../../helpers';

async function chat(sm: SessionManager, turns: number, prefix = 't') {
  for (let i = 0; i < turns; i++) {
    await sm.userSays(`${prefix}${i} question`);
    await sm.aiResponds(`${prefix}${i} answer`);
  }
}

describe.each(storeFactories)('infinite context on $kind store', (factory) => {
  it('rolls over on the turn threshold into a chained segment with a summary and the system prompt', async () => {
    const store = factory.create();
    const sm = new SessionManager({
      store,
      systemPrompt: 'sys',
      infiniteContext: true,
      maxTurnsPerSegment: 4,
    });
    const root = sm.sessionId;
    await chat(sm, 2); // 4 messages: the segment is full but the rollover waits for the next message
    expect(await sm.getSessionChain()).toEqual([root]);
    await sm.userSays('fifth');
    const chain = await sm.getSessionChain();
    expect(chain).toHaveLength(2);
    expect(chain[0]).toBe(root);
    expect(sm.sessionId).toBe(chain[1]);
    expect(sm.conversationId).toBe(root);
    const second = await store.getSession(chain[1]!);
    expect(second).toMatchObject({ parentId: root, rootId: root, segmentIndex: 1, systemPrompt: 'sys' });
    const rootEvents = await store.getEvents(root);
    expect(rootEvents.at(-1)).toMatchObject({
      type: EventType.SUMMARY,
      seq: 4,
      metadata: { summarizer: 'extractive' },
    });
    const secondEvents = await store.getEvents(chain[1]!);
    expect(secondEvents.map((e) => [e.seq, e.message])).toEqual([[0, 'fifth']]);
  });

  it('rolls over on the token threshold', async () => {
    const sm = new SessionManager({ store: factory.create(), infiniteContext: true, tokenThreshold: 50 });
    await sm.userSays('word '.repeat(60));
    expect((await sm.getSessionChain()).length).toBe(1);
    await sm.aiResponds('ok');
    expect((await sm.getSessionChain()).length).toBe(2);
  });

  it('shows the summary to the model: system prompt, summary, then the current segment', async () => {
    const sm = new SessionManager({
      store: factory.create(),
      systemPrompt: 'sys',
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await sm.userSays('My name is Ada');
    await sm.aiResponds('Hello Ada');
    await sm.userSays('What is my name?');
    const messages = await sm.getMessagesForLLM();
    expect(messages).toHaveLength(3);
    expect(messages[0]).toEqual({ role: 'system', content: 'sys' });
    expect(messages[1]!.role).toBe('system');
    expect(messages[1]!.content).toContain('My name is Ada');
    expect(messages[1]!.content).toContain('Hello Ada');
    expect(messages[2]).toEqual({ role: 'user', content: 'What is my name?' });
    expect(await sm.getMessagesForLLM({ includeSystem: false })).toHaveLength(2);
  });

  it('passes the segment messages and the previous summary to the callback, so summaries are cumulative', async () => {
    const calls: [ChatMessage[], string | undefined][] = [];
    const summarize: SummarizeFn = async (messages, previous) => {
      calls.push([messages, previous]);
      return `${previous ? `${previous} + ` : ''}S${calls.length}`;
    };
    const sm = new SessionManager({
      store: factory.create(),
      infiniteContext: true,
      maxTurnsPerSegment: 2,
      summarize,
    });
    await chat(sm, 3);
    expect(calls).toHaveLength(2);
    expect(calls[0]![0]).toEqual([
      { role: 'user', content: 't0 question' },
      { role: 'assistant', content: 't0 answer' },
    ]);
    expect(calls[0]![1]).toBeUndefined();
    expect(calls[1]![1]).toBe('S1');
    const llm = await sm.getMessagesForLLM();
    expect(llm[0]).toEqual({ role: 'system', content: 'Summary of the conversation so far:\nS1 + S2' });
    const summaries = (await sm.getEvents()).filter((e) => e.type === EventType.SUMMARY);
    expect(summaries.map((e) => [e.message, e.metadata.summarizer])).toEqual([
      ['S1', 'callback'],
      ['S1 + S2', 'callback'],
    ]);
  });

  it('the built-in summary is cumulative and covers both sides', async () => {
    const sm = new SessionManager({ store: factory.create(), infiniteContext: true, maxTurnsPerSegment: 2 });
    await chat(sm, 3, 'x');
    const [summary] = await sm.getMessagesForLLM();
    expect(summary!.role).toBe('system');
    for (const text of ['x0 question', 'x0 answer', 'x1 question', 'x1 answer'])
      expect(summary!.content).toContain(text);
  });

  it('falls back to the built-in summary when the callback throws, records why, and still records the message', async () => {
    const summarize = vi.fn(() => {
      throw new Error('LLM down');
    });
    const sm = new SessionManager({
      store: factory.create(),
      infiniteContext: true,
      maxTurnsPerSegment: 2,
      summarize,
    });
    await chat(sm, 1);
    await sm.userSays('after');
    const events = await sm.getEvents();
    const summary = events.find((e) => e.type === EventType.SUMMARY)!;
    expect(summary.metadata).toMatchObject({ summarizer: 'extractive', summaryError: 'LLM down' });
    expect(summary.message).toContain('t0 question');
    expect(events.at(-1)!.message).toBe('after');
  });

  it('falls back when the callback returns a non-string or hangs past summaryTimeoutMs', async () => {
    const store = factory.create();
    const bad = new SessionManager({
      store,
      infiniteContext: true,
      maxTurnsPerSegment: 1,
      summarize: () => 42 as unknown as string,
    });
    await bad.userSays('a');
    await bad.userSays('b');
    const hang = new SessionManager({
      store,
      infiniteContext: true,
      maxTurnsPerSegment: 1,
      summaryTimeoutMs: 20,
      summarize: () => new Promise<string>(() => {}),
    });
    await hang.userSays('c');
    await hang.userSays('d');
    const [badSummary] = (await bad.getEvents()).filter((e) => e.type === EventType.SUMMARY);
    const [hangSummary] = (await hang.getEvents()).filter((e) => e.type === EventType.SUMMARY);
    expect(badSummary!.metadata.summaryError).toMatch(/non-empty string, got number/);
    expect(hangSummary!.metadata.summaryError).toMatch(/longer than 20 ms/);
    expect((await hang.getConversation()).map((t) => t.content)).toEqual(['c', 'd']);
  });

  it('getMessagesForLLM({ maxTokens }) keeps system and summary, drops the oldest turns, and fits', async () => {
    const sm = new SessionManager({
      store: factory.create(),
      systemPrompt: 'You are helpful.',
      infiniteContext: true,
      maxTurnsPerSegment: 200,
    });
    for (let i = 0; i < 40; i++) await sm.userSays(`message number ${i} with some padding words`);
    const all = await sm.getMessagesForLLM();
    const full = await countChatTokens(all, 'gpt-4o-mini');
    const budget = Math.floor(full / 3);
    const fitted = await sm.getMessagesForLLM({ maxTokens: budget });
    expect(await countChatTokens(fitted, 'gpt-4o-mini')).toBeLessThanOrEqual(budget);
    expect(fitted[0]).toEqual({ role: 'system', content: 'You are helpful.' });
    expect(fitted.at(-1)!.content).toBe('message number 39 with some padding words');
    expect(fitted.length).toBeLessThan(all.length);
    // The next-oldest message would not have fit.
    const withOneMore = [fitted[0]!, all[all.length - fitted.length]!, ...fitted.slice(1)];
    expect(await countChatTokens(withOneMore, 'gpt-4o-mini')).toBeGreaterThan(budget);
  });

  it('maxTokens never drops the summary, even when the budget only covers it', async () => {
    const sm = new SessionManager({
      store: factory.create(),
      systemPrompt: 'sys',
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await chat(sm, 2);
    const fitted = await sm.getMessagesForLLM({ maxTokens: 1 });
    expect(fitted.map((m) => m.role)).toEqual(['system', 'system']);
  });

  it('stats across segments include messages, tool calls, tokens and cost of every segment', async () => {
    const sm = new SessionManager({ store: factory.create(), infiniteContext: true, maxTurnsPerSegment: 2 });
    for (let i = 0; i < 3; i++) {
      await sm.userSays(`q${i}`);
      await sm.toolUsed('lookup', { i }, { ok: true });
      await sm.aiResponds(`a${i}`);
    }
    const stats = await sm.getStats();
    const events = await sm.getEvents();
    expect(stats.sessionSegments).toBe(3);
    expect(stats.toolCalls).toBe(3);
    expect(stats.totalMessages).toBe(6);
    expect(stats.summaries).toBe(2);
    expect(stats.totalTokens).toBe(events.reduce((s, e) => s + (e.tokenUsage?.totalTokens ?? 0), 0));
    expect(stats.estimatedCost).toBeCloseTo(
      events.reduce((s, e) => s + (e.tokenUsage?.estimatedCostUsd ?? 0), 0),
      12,
    );
    const current = await sm.getStats({ includeAllSegments: false });
    expect(current.totalMessages).toBe(2);
  });

  it('opening any segment id resumes at the newest segment, with the whole chain readable', async () => {
    const store = factory.create();
    const sm = new SessionManager({
      store,
      systemPrompt: 'sys',
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await chat(sm, 4);
    const chain = await sm.getSessionChain();
    expect(chain).toHaveLength(4);
    for (const id of chain) {
      const again = await SessionManager.open(id, { store: factory.reopen(store), infiniteContext: true });
      expect(again.sessionId).toBe(chain.at(-1));
      expect(again.conversationId).toBe(chain[0]);
      expect(await again.getConversation()).toEqual(await sm.getConversation());
      expect(await again.getMessagesForLLM()).toEqual(await sm.getMessagesForLLM());
    }
    // Recording through a manager created on an old segment id continues the newest segment.
    const viaOld = new SessionManager({
      store,
      sessionId: chain[0],
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await viaOld.userSays('late');
    expect(await viaOld.getSessionChain()).toEqual([...chain, viaOld.sessionId]);
    expect((await viaOld.getConversation()).at(-1)!.content).toBe('late');
  });

  it('parentId starts a new segment continuing that conversation', async () => {
    const store = factory.create();
    const first = new SessionManager({ store, infiniteContext: true });
    await chat(first, 1);
    const next = new SessionManager({ store, parentId: first.sessionId, infiniteContext: true });
    const newId = next.sessionId;
    await next.userSays('continued');
    expect(next.sessionId).toBe(newId);
    expect(next.conversationId).toBe(first.conversationId);
    expect(await next.getSessionChain()).toEqual([first.sessionId, newId]);
  });
});
