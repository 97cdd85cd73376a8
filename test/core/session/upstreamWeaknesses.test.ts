// One test per weakness of the Python chuk-ai-session-manager that this library must not repeat.
import { DexieSessionStore, EventType, SessionManager } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { uniqueDbName } from '../../helpers';

const infinite = { infiniteContext: true, maxTurnsPerSegment: 2 } as const;

describe('better than upstream', () => {
  it('the cross-segment conversation lives in storage, not in memory: a reload sees all of it', async () => {
    const name = uniqueDbName();
    const tab = new SessionManager({ store: new DexieSessionStore({ name }), ...infinite });
    for (let i = 0; i < 5; i++) await tab.userSays(`m${i}`);
    (tab.store as DexieSessionStore).close();
    const reloaded = await SessionManager.open(tab.conversationId, {
      store: new DexieSessionStore({ name }),
      ...infinite,
    });
    expect((await reloaded.getConversation()).map((t) => t.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(await reloaded.getSessionChain()).toHaveLength(3);
  });

  it('the summary reaches the model through getMessagesForLLM', async () => {
    const sm = new SessionManager({
      store: new DexieSessionStore({ name: uniqueDbName() }),
      ...infinite,
      summarize: () => 'THE SUMMARY',
    });
    for (let i = 0; i < 3; i++) await sm.userSays(`m${i}`);
    const messages = await sm.getMessagesForLLM();
    expect(messages.some((m) => m.role === 'system' && m.content.includes('THE SUMMARY'))).toBe(true);
  });

  it('tool calls are counted across segments', async () => {
    const sm = new SessionManager({ store: new DexieSessionStore({ name: uniqueDbName() }), ...infinite });
    for (let i = 0; i < 4; i++) {
      await sm.userSays(`q${i}`);
      await sm.toolUsed('calc', { i }, i);
    }
    const stats = await sm.getStats();
    expect(stats.sessionSegments).toBeGreaterThan(1);
    expect(stats.toolCalls).toBe(4);
  });

  it('two concurrent calls never both start a segment', async () => {
    const name = uniqueDbName();
    const a = new SessionManager({ store: new DexieSessionStore({ name }), ...infinite });
    await a.userSays('1');
    await a.userSays('2');
    const b = await SessionManager.open(a.conversationId, {
      store: new DexieSessionStore({ name }),
      ...infinite,
    });
    await Promise.all([a.userSays('3a'), b.userSays('3b'), a.userSays('4a'), b.userSays('4b')]);
    const chain = await a.getSessionChain();
    const summaries = (await a.getEvents()).filter((e) => e.type === EventType.SUMMARY);
    expect(summaries).toHaveLength(chain.length - 1);
    expect(chain).toHaveLength(3);
  });

  it('prices current models, not only 2023 ones', async () => {
    const sm = new SessionManager({ store: new DexieSessionStore({ name: uniqueDbName() }) });
    for (const model of ['gpt-5', 'gpt-4.1', 'claude-sonnet-4-5', 'gemini-2.5-pro'])
      await sm.aiResponds('hello', { model });
    const costs = (await sm.getEvents()).map((e) => e.tokenUsage!.estimatedCostUsd);
    for (const cost of costs) expect(cost).toBeGreaterThan(0);
  });
});
