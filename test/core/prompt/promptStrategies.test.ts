import {
  buildPrompt,
  type ChatMessage,
  countChatTokens,
  InvalidInputError,
  type PromptStrategy,
  SessionManager,
  truncatePromptToTokenLimit,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

const STRATEGIES: PromptStrategy[] = ['minimal', 'task', 'tool', 'conversation', 'hierarchical'];
const sys = { role: 'system', content: 'sys' };
const user = (content: string) => ({ role: 'user', content });
const ai = (content: string) => ({ role: 'assistant', content });

/** A trip-planning chat: three turns, one successful and one failed tool call. */
async function tripChat(sm: SessionManager) {
  await sm.userSays('Plan a trip to Rome');
  await sm.aiResponds('Sure, when?');
  await sm.userSays('In May');
  await sm.aiResponds('Looking up flights');
  await sm.toolUsed('flights', { month: 'May' }, { cheapest: 120 });
  await sm.userSays('And hotels?');
  await sm.toolUsed('hotels', { city: 'Rome' }, null, { error: 'rate limited' });
  await sm.aiResponds('Hotels are busy');
}

describe.each(storeFactories)('buildPrompt on $kind store', (factory) => {
  it('minimal: system, the last user message, then its tool results and answer in the order they happened', async () => {
    const sm = new SessionManager({ store: factory.create(), systemPrompt: 'sys' });
    await tripChat(sm);
    expect(await buildPrompt(sm, { strategy: 'minimal' })).toEqual([
      sys,
      user('And hotels?'),
      { role: 'system', content: 'Tool results:\n- hotels({"city":"Rome"}) failed: rate limited' },
      ai('Hotels are busy'),
    ]);
    // An answer that asked for a tool comes before the tool's result.
    await sm.userSays('Book the cheapest');
    await sm.aiResponds('Booking now');
    await sm.toolUsed('book', { id: 7 }, { ok: true });
    expect(await buildPrompt(sm, { strategy: 'minimal' })).toEqual([
      sys,
      user('Book the cheapest'),
      ai('Booking now'),
      { role: 'system', content: 'Tool results:\n- book({"id":7}) returned {"ok":true}' },
    ]);
  });

  it('task: the first user message as the task, then the last maxHistory turns, without repeating it', async () => {
    const sm = new SessionManager({ store: factory.create(), systemPrompt: 'sys' });
    await tripChat(sm);
    expect(await buildPrompt(sm, { strategy: 'task', maxHistory: 1 })).toEqual([
      sys,
      user('Plan a trip to Rome'),
      user('And hotels?'),
      ai('Hotels are busy'),
    ]);
    expect(await buildPrompt(sm, { strategy: 'task' })).toEqual([
      sys,
      user('Plan a trip to Rome'),
      ai('Sure, when?'),
      user('In May'),
      ai('Looking up flights'),
      user('And hotels?'),
      ai('Hotels are busy'),
    ]);
  });

  it('tool: the last user message, then the last maxHistory tool calls as tool context', async () => {
    const sm = new SessionManager({ store: factory.create(), systemPrompt: 'sys' });
    await tripChat(sm);
    expect(await buildPrompt(sm, { strategy: 'tool' })).toEqual([
      sys,
      user('And hotels?'),
      {
        role: 'system',
        content:
          'Tool results:\n- flights({"month":"May"}) returned {"cheapest":120}\n- hotels({"city":"Rome"}) failed: rate limited',
      },
    ]);
    const one = await buildPrompt(sm, { strategy: 'tool', maxHistory: 1 });
    expect(one[2]!.content).toBe('Tool results:\n- hotels({"city":"Rome"}) failed: rate limited');
  });

  it('conversation: the last maxHistory turns', async () => {
    const sm = new SessionManager({ store: factory.create(), systemPrompt: 'sys' });
    await tripChat(sm);
    expect(await buildPrompt(sm, { strategy: 'conversation', maxHistory: 2 })).toEqual([
      sys,
      user('In May'),
      ai('Looking up flights'),
      user('And hotels?'),
      ai('Hotels are busy'),
    ]);
  });

  it('conversation reads across segments; hierarchical shows the summary and only the current segment', async () => {
    const sm = new SessionManager({
      store: factory.create(),
      systemPrompt: 'sys',
      infiniteContext: true,
      maxTurnsPerSegment: 4,
    });
    for (let i = 0; i < 5; i++) {
      await sm.userSays(`q${i}`);
      await sm.aiResponds(`a${i}`);
    }
    const chain = await sm.getSessionChain();
    expect(chain.length).toBe(3); // q0-a1 | q2-a3 | q4 a4
    expect(await buildPrompt(sm, { strategy: 'conversation', maxHistory: 2 })).toEqual([
      sys,
      user('q3'),
      ai('a3'),
      user('q4'),
      ai('a4'),
    ]);
    const fromManager = await sm.getMessagesForLLM();
    const hierarchical = await buildPrompt(sm, { strategy: 'hierarchical', maxHistory: 5 });
    expect(hierarchical).toEqual([sys, fromManager[1], user('q4'), ai('a4')]);
    expect(hierarchical[1]!.content).toMatch(/^Summary of the conversation so far:/);
    expect(hierarchical[1]!.content).toContain('q3');
    // task still finds the very first user message in the root segment.
    expect((await buildPrompt(sm, { strategy: 'task', maxHistory: 1 })).slice(1, 2)).toEqual([user('q0')]);
  });

  it('hierarchical without a rollover is the recent turns', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await tripChat(sm);
    expect(await buildPrompt(sm, { strategy: 'hierarchical', maxHistory: 1 })).toEqual([
      user('And hotels?'),
      ai('Hotels are busy'),
    ]);
  });

  it('an empty session gives just the system prompt, for every strategy', async () => {
    const sm = new SessionManager({ store: factory.create(), systemPrompt: 'sys' });
    for (const strategy of STRATEGIES) expect(await buildPrompt(sm, { strategy })).toEqual([sys]);
  });

  it('honours maxTokens for every strategy, keeping the system prompt and the newest message', async () => {
    const sm = new SessionManager({ store: factory.create(), systemPrompt: 'You plan trips.' });
    await sm.userSays('TASK: plan a week in Rome for two people on a budget');
    for (let i = 0; i < 12; i++) {
      await sm.aiResponds(`Answer ${i}: ${'details '.repeat(20)}`);
      await sm.toolUsed('search', { q: `query ${i}` }, { hits: i });
      await sm.userSays(`Follow-up ${i}: ${'more '.repeat(10)}`);
    }
    for (const strategy of STRATEGIES) {
      const full = await buildPrompt(sm, { strategy, maxHistory: 8 });
      const fullTokens = await countChatTokens(full, 'gpt-4o');
      for (const maxTokens of [60, 120, 250]) {
        const cut = await buildPrompt(sm, { strategy, maxHistory: 8, maxTokens, model: 'gpt-4o' });
        expect(await countChatTokens(cut, 'gpt-4o')).toBeLessThanOrEqual(maxTokens);
        expect(cut[0]).toEqual({ role: 'system', content: 'You plan trips.' });
        if (maxTokens < fullTokens) expect(cut.length).toBeLessThan(full.length);
        // What is kept is a subsequence of the full prompt.
        let at = 0;
        for (const m of cut) {
          at = full.findIndex((f, i) => i >= at && f.content === m.content) + 1;
          expect(at).toBeGreaterThan(0);
        }
      }
    }
    const task = await buildPrompt(sm, { strategy: 'task', maxHistory: 8, maxTokens: 120, model: 'gpt-4o' });
    expect(task[1]!.content).toMatch(/^TASK:/);
    expect(task.at(-1)!.content).toMatch(/^Follow-up 11/);
  });

  it('rejects an unknown strategy and bad numbers', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await expect(buildPrompt(sm, { strategy: 'everything' as PromptStrategy })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(buildPrompt(sm, { strategy: 'task', maxHistory: 0 })).rejects.toThrow(/maxHistory/);
    await expect(buildPrompt(sm, { strategy: 'task', maxTokens: -5 })).rejects.toThrow(/maxTokens/);
  });
});

describe('truncatePromptToTokenLimit', () => {
  const long = (n: number) => `${'word '.repeat(n)}`.trim();
  const messages: ChatMessage[] = [
    { role: 'system', content: 'system prompt' },
    { role: 'system', content: 'summary text' },
    { role: 'user', content: `first ${long(20)}` },
    { role: 'assistant', content: `old ${long(40)}` },
    { role: 'user', content: `middle ${long(40)}` },
    { role: 'assistant', content: `recent ${long(10)}` },
    { role: 'user', content: 'newest' },
  ];

  it('keeps the system messages, the first user message and the newest messages that fit', async () => {
    const full = await countChatTokens(messages, 'gpt-4o-mini');
    expect(await truncatePromptToTokenLimit(messages, full, 'gpt-4o-mini')).toEqual(messages);
    const cut = await truncatePromptToTokenLimit(messages, 70, 'gpt-4o-mini');
    expect(cut.map((m) => m.content.split(' ')[0])).toEqual([
      'system',
      'summary',
      'first',
      'recent',
      'newest',
    ]);
    expect(await countChatTokens(cut, 'gpt-4o-mini')).toBeLessThanOrEqual(70);
  });

  it('stops at the first newest message that does not fit, so no gap opens in the recent turns', async () => {
    const gap: ChatMessage[] = [
      { role: 'system', content: 'system prompt' }, // 6 tokens + 3 priming
      { role: 'user', content: `first ${long(20)}` }, // 25
      { role: 'assistant', content: 'tiny' }, // 5: would fit, but only past a message that does not
      { role: 'user', content: `middle ${long(40)}` }, // 45
      { role: 'user', content: 'newest' }, // 6
    ];
    const cut = await truncatePromptToTokenLimit(gap, 45, 'gpt-4o-mini');
    expect(cut.map((m) => m.content.split(' ')[0])).toEqual(['system', 'first', 'newest']);
    const noFirst = await truncatePromptToTokenLimit(messages, 40, 'gpt-4o-mini', {
      keepFirstUserMessage: false,
    });
    expect(noFirst.map((m) => m.content.split(' ')[0])).toEqual(['system', 'summary', 'recent', 'newest']);
  });

  it('throws when even the system prompt does not fit', async () => {
    await expect(truncatePromptToTokenLimit(messages, 5, 'gpt-4o-mini')).rejects.toThrow(
      /maxTokens \(5\) is too small: the system prompt alone needs/,
    );
  });
});
