// Streamed replies: stored at once as 'streaming', growing through small flushes, counted once
// when finished or aborted, readable as 'interrupted' when their tab died, resumable and
// discardable, never sent to a model unfinished, and never split by a rollover.
import {
  EventSource,
  EventType,
  exportConversation,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  type SessionStore,
} from '@ai-session-manager/core';
import { ReplyStateError, replyStatus } from '@ai-session-manager/core/chat';
import { describe, expect, it, vi } from 'vitest';
import { storeFactories } from '../../helpers';

/** What a tab that died mid-reply leaves behind: a 'streaming' reply whose lease ran out. */
async function deadTabReply(store: SessionStore, sm: SessionManager, text: string): Promise<string> {
  const head = (await store.getHead(sm.conversationId))!;
  const id = crypto.randomUUID();
  await store.appendEvent(head.id, {
    id,
    timestamp: new Date().toISOString(),
    source: EventSource.LLM,
    type: EventType.MESSAGE,
    message: text,
    metadata: { model: 'gpt-4o-mini' },
    reply: { status: 'streaming', leaseUntil: Date.now() - 1, owner: 'dead-tab' },
  });
  return id;
}

for (const factory of storeFactories) {
  describe(`streamed replies (${factory.kind})`, () => {
    it('stores the reply at once as streaming, visible to another manager, counted as an event only', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Tell me a story');
      const reply = await sm.beginResponse({ model: 'gpt-4o-mini', provider: 'openai' });
      expect(reply.status).toBe('streaming');
      const other = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      const turns = await other.getConversation();
      expect(turns.map((t) => [t.role, t.content, t.status])).toEqual([
        ['user', 'Tell me a story', 'complete'],
        ['assistant', '', 'streaming'],
      ]);
      expect(turns[1]!.eventId).toBe(reply.eventId);
      const stats = await other.getStats();
      expect(stats.totalEvents).toBe(2);
      expect(stats.aiMessages).toBe(0);
      expect(stats.totalMessages).toBe(1);
      expect(stats.completionTokens).toBe(0);
      await reply.finish();
    });

    it('append is synchronous; flushes write the text so far, and readers see it grow', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Count');
      const reply = await sm.beginResponse({ flushMs: 1 });
      reply.append('one');
      reply.append(', two');
      expect(reply.text).toBe('one, two');
      const reader = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      await vi.waitFor(async () => expect((await reader.getConversation())[1]!.content).toBe('one, two'));
      reply.append(', three');
      await reply.flush();
      expect((await reader.getConversation())[1]!.content).toBe('one, two, three');
      expect((await reader.getConversation())[1]!.status).toBe('streaming');
      await reply.finish();
    });

    it('a flush writes only the reply event row; finish counts it exactly once', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Hi');
      const reply = await sm.beginResponse();
      const headBefore = await store.getHead(sm.conversationId);
      reply.append('Hello there');
      await reply.flush();
      expect(await store.getHead(sm.conversationId)).toEqual(headBefore);
      const event = await reply.finish();
      expect(event.reply?.status).toBe('complete');
      expect(event.tokenUsage!.completionTokens).toBeGreaterThan(0);
      expect(event.tokenUsage!.contextTokens).toBe(event.tokenUsage!.completionTokens);
      const stats = await sm.getStats();
      expect(stats.aiMessages).toBe(1);
      expect(stats.completionTokens).toBe(event.tokenUsage!.completionTokens);
      await expect(reply.finish()).rejects.toBeInstanceOf(ReplyStateError);
      await expect(reply.abort()).rejects.toBeInstanceOf(ReplyStateError);
      expect(() => reply.append('more')).toThrow(ReplyStateError);
      expect(await sm.getStats()).toEqual(stats);
      // Totals agree with the events (export validation recomputes them): import accepts the export.
      const doc = await exportConversation(sm.conversationId, { store });
      await importConversation(doc, { store: new MemorySessionStore() });
    });

    it('finish takes provider usage and prices it', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Hi');
      const reply = await sm.beginResponse({ model: 'gpt-4o-mini' });
      reply.append('Hello');
      await expect(reply.finish({ usage: { promptTokens: -1 } })).rejects.toBeInstanceOf(InvalidInputError);
      expect(reply.status).toBe('streaming');
      const event = await reply.finish({ usage: { prompt_tokens: 120, completion_tokens: 30 } });
      expect(event.tokenUsage).toMatchObject({
        promptTokens: 120,
        completionTokens: 30,
        totalTokens: 150,
        source: 'provider',
      });
      expect(event.tokenUsage!.estimatedCostUsd).toBeGreaterThan(0);
      expect((await sm.getStats()).promptTokens).toBe(
        120 + (await sm.getEvents())[0]!.tokenUsage!.promptTokens,
      );
    });

    it('abort keeps the text as aborted and counts it; it is sent to the model, a streaming one is not', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store, systemPrompt: 'Be brief.' });
      await sm.userSays('Explain');
      const reply = await sm.beginResponse();
      reply.append('Well, first');
      expect((await sm.getMessagesForLLM()).map((m) => m.role)).toEqual(['system', 'user']);
      expect((await sm.getMessagesForLLM({ maxTokens: 500 })).map((m) => m.role)).toEqual(['system', 'user']);
      const event = await reply.abort('user pressed stop');
      expect(event.reply).toMatchObject({ status: 'aborted', abortReason: 'user pressed stop' });
      expect(reply.status).toBe('aborted');
      expect((await sm.getConversation())[1]).toMatchObject({ content: 'Well, first', status: 'aborted' });
      expect((await sm.getMessagesForLLM()).at(-1)).toEqual({ role: 'assistant', content: 'Well, first' });
      expect((await sm.getStats()).aiMessages).toBe(1);
    });

    it('a reply left by a dead tab reads as interrupted; it can be resumed and finished, counted once', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Go on');
      const id = await deadTabReply(store, sm, 'Partial an');
      const turns = await sm.getConversation();
      expect(turns[1]).toMatchObject({ eventId: id, content: 'Partial an', status: 'interrupted' });
      expect(await sm.getMessagesForLLM()).toEqual([{ role: 'user', content: 'Go on' }]);
      const reply = await sm.resumeResponse(id);
      expect(reply.text).toBe('Partial an');
      expect((await sm.getConversation())[1]!.status).toBe('streaming');
      // A second tab cannot take over or discard a live reply.
      const other = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      await expect(other.resumeResponse(id)).rejects.toBeInstanceOf(ReplyStateError);
      await expect(other.discardResponse(id)).rejects.toBeInstanceOf(ReplyStateError);
      reply.append('swer.');
      await reply.finish();
      expect((await other.getConversation())[1]).toMatchObject({
        content: 'Partial answer.',
        status: 'complete',
      });
      expect((await other.getStats()).aiMessages).toBe(1);
      await expect(other.discardResponse(id)).rejects.toBeInstanceOf(ReplyStateError);
    });

    it('discarding an interrupted reply hides it everywhere and counts nothing; the text stays stored', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Go on');
      const id = await deadTabReply(store, sm, 'Half');
      const before = await sm.getStats();
      const event = await sm.discardResponse(id);
      expect(event.reply?.status).toBe('discarded');
      expect(replyStatus(event)).toBe('discarded');
      expect((await sm.getConversation()).map((t) => t.content)).toEqual(['Go on']);
      expect(await sm.getStats()).toEqual({ ...before, lastUpdate: (await sm.getStats()).lastUpdate });
      expect((await sm.getEvents()).find((e) => e.id === id)!.message).toBe('Half');
      const doc = await exportConversation(sm.conversationId, { store });
      await importConversation(doc, { store: new MemorySessionStore() });
    });

    it('a writer whose reply was discarded elsewhere is refused and writes nothing', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Hi');
      const reply = await sm.beginResponse();
      reply.append('text');
      await sm.discardResponse(reply.eventId);
      expect(reply.status).toBe('discarded');
      await expect(reply.finish()).rejects.toBeInstanceOf(ReplyStateError);
      expect((await sm.getStats()).aiMessages).toBe(0);
    });

    it('store.updateEvent: one row, counted once, a failing check writes nothing', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('q');
      const reply = await sm.beginResponse({ eventId: 'r' });
      const head = (await store.getHead(sm.conversationId))!;
      const flushed = await store.updateEvent('r', {
        message: 'abc',
        reply: { leaseUntil: Date.now() + 9999 },
      });
      expect(flushed).toMatchObject({ message: 'abc', seq: 1, sessionId: head.id });
      expect(await store.getHead(sm.conversationId)).toEqual(head);
      await expect(
        store.updateEvent(
          'r',
          { message: 'x' },
          {
            check: () => {
              throw new ReplyStateError('no');
            },
          },
        ),
      ).rejects.toBeInstanceOf(ReplyStateError);
      expect((await store.getEvents(head.id))[1]!.message).toBe('abc');
      // Counting needs the event to go from in flight to finished; a second count is refused.
      await expect(store.updateEvent('r', { message: 'y' }, { countInTotals: true })).rejects.toBeInstanceOf(
        ReplyStateError,
      );
      const done = { reply: { status: 'complete' as const, leaseUntil: undefined } };
      const counted = await store.updateEvent('r', done, { countInTotals: true });
      expect(counted.reply).not.toHaveProperty('leaseUntil');
      expect((await store.getHead(sm.conversationId))!.totals.aiMessages).toBe(1);
      await expect(store.updateEvent('r', done, { countInTotals: true })).rejects.toBeInstanceOf(
        ReplyStateError,
      );
      expect((await store.getHead(sm.conversationId))!.totals.aiMessages).toBe(1);
      await expect(store.updateEvent('missing', {})).rejects.toBeInstanceOf(ReplyStateError);
      expect(reply.status).toBe('streaming');
      await expect(reply.finish()).rejects.toBeInstanceOf(ReplyStateError);
    });

    it('bad input is refused before anything is written', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('Hi');
      await expect(sm.beginResponse({ model: '' })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(sm.beginResponse({ flushMs: 0 })).rejects.toMatchObject({ path: 'flushMs' });
      await expect(sm.beginResponse({ metadata: { f: () => 1 } })).rejects.toBeInstanceOf(InvalidInputError);
      expect((await sm.getStats()).totalEvents).toBe(1);
      const reply = await sm.beginResponse();
      expect(() => reply.append(3 as unknown as string)).toThrow(InvalidInputError);
      await expect(reply.abort(5 as unknown as string)).rejects.toBeInstanceOf(InvalidInputError);
      // Provider usage follows aiResponds' rules; a refused finish leaves the reply streaming.
      reply.append('partial');
      for (const usage of [{ totalTokens: 1e300 }, 'abc', 7, null, { promptTokens: -1 }]) {
        await expect(reply.finish({ usage: usage as never })).rejects.toBeInstanceOf(InvalidInputError);
        expect(reply.status).toBe('streaming');
      }
      expect((await sm.getStats()).aiMessages).toBe(0);
      await reply.finish({ usage: { promptTokens: 3, completionTokens: 2 } });
      expect((await sm.getStats()).aiMessages).toBe(1);
    });

    it('a head with a live reply is not rolled over; the next message after it ends rolls over', async () => {
      const store = factory.create();
      const options = { store, infiniteContext: true, maxTurnsPerSegment: 2 } as const;
      const sm = new SessionManager(options);
      await sm.userSays('u1');
      const reply = await sm.beginResponse();
      reply.append('the long answer');
      const other = await SessionManager.open(sm.conversationId, {
        ...options,
        store: factory.reopen(store),
      });
      await other.userSays('u2 (other tab)');
      await other.userSays('u3 (other tab, head is full)');
      expect((await other.getSessionChain()).length).toBe(1);
      await reply.finish();
      await other.userSays('u4 (after the reply)');
      const chain = await sm.getSessionChain();
      expect(chain.length).toBe(2);
      const first = await store.getEvents(chain[0]!);
      expect(first.map((e) => e.message)).toEqual([
        'u1',
        'the long answer',
        'u2 (other tab)',
        'u3 (other tab, head is full)',
        expect.stringMatching(/the long answer/),
      ]);
      expect((await store.getEvents(chain[1]!)).map((e) => e.message)).toEqual(['u4 (after the reply)']);
      const stats = await sm.getStats({ includeAllSegments: true });
      expect(stats.userMessages).toBe(4);
      expect(stats.aiMessages).toBe(1);
    });

    it('an interrupted reply does not hold a rollover; finishing it later counts it in its closed segment', async () => {
      const store = factory.create();
      const options = { store, infiniteContext: true, maxTurnsPerSegment: 2 } as const;
      const sm = new SessionManager(options);
      await sm.userSays('u1');
      await sm.aiResponds('a1');
      const id = await deadTabReply(store, sm, 'lost half');
      await sm.userSays('u2');
      const chain = await sm.getSessionChain();
      expect(chain.length).toBe(2);
      const reply = await sm.resumeResponse(id);
      reply.append(' and the rest');
      await reply.finish();
      const closed = (await store.getSession(chain[0]!))!;
      expect(closed.totals.aiMessages).toBe(2);
      const stats = await sm.getStats({ includeAllSegments: true });
      expect(stats.aiMessages).toBe(2);
      expect(stats.totalMessages).toBe(4);
    });

    it('finishing a reply in a closed segment adds to the head priorTotals when the head carries them', async () => {
      const store = factory.create();
      const options = { store, infiniteContext: true, maxTurnsPerSegment: 2 } as const;
      const sm = new SessionManager(options);
      await sm.userSays('u1');
      await sm.aiResponds('a1');
      const id = await deadTabReply(store, sm, 'x');
      await sm.userSays('u2');
      const [first, head] = await store.getSegments(sm.conversationId);
      // As core-scale's rollover writes it (contract 1), set here by rewriting the rows.
      const prior = { ...first!.totals };
      const events = [...(await store.getEvents(first!.id)), ...(await store.getEvents(head!.id))];
      await store.deleteConversation(sm.conversationId);
      await store.importRecords([first!, { ...head!, priorTotals: prior }], events);
      const reply = await sm.resumeResponse(id);
      await reply.finish();
      const after = (await store.getHead(sm.conversationId))!;
      expect(after.priorTotals!.aiMessages).toBe(prior.aiMessages + 1);
      expect(after.priorTotals!.completionTokens).toBeGreaterThan(prior.completionTokens);
    });

    it('runs and tool calls keep holding: a streamed reply carries the run id, tool calls link to it', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('What is 6*7?');
      const run = await sm.startRun({ goal: 'answer' });
      const reply = await sm.beginResponse({ eventId: 'ask' });
      reply.append('Let me compute.');
      await sm.toolUsed('calc', { expr: '6*7' }, 42, { parentEventId: reply.eventId, toolCallId: 'c1' });
      await reply.finish();
      await run.complete();
      const stats = await sm.getRunStats(run.id);
      expect(stats.totals.events).toBe(2);
      expect(stats.totals.aiMessages).toBe(1);
      expect(stats.totals.completionTokens).toBe((await sm.getEvents())[1]!.tokenUsage!.completionTokens);
      const { toOpenAIMessages } = await import('@ai-session-manager/core');
      expect(toOpenAIMessages(await sm.getEvents()).map((m) => m.role)).toEqual([
        'user',
        'assistant',
        'tool',
      ]);
    });

    it('two managers stream and write at once: nothing lost, reordered or counted twice', async () => {
      const store = factory.create();
      const a = new SessionManager({ store });
      await a.userSays('start');
      const b = await SessionManager.open(a.conversationId, { store: factory.reopen(store) });
      const r1 = await a.beginResponse({ flushMs: 1 });
      const r2 = await b.beginResponse({ flushMs: 1 });
      for (let i = 0; i < 20; i++) {
        r1.append(`a${i} `);
        r2.append(`b${i} `);
        if (i % 5 === 0) await Promise.all([a.userSays(`ua${i}`), b.userSays(`ub${i}`)]);
      }
      await Promise.all([r1.finish(), r2.finish()]);
      const events = await a.getEvents();
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      expect(events.find((e) => e.id === r1.eventId)!.message).toBe(r1.text);
      expect(events.find((e) => e.id === r2.eventId)!.message).toBe(r2.text);
      const stats = await a.getStats();
      expect(stats.aiMessages).toBe(2);
      expect(stats.userMessages).toBe(9);
    });
  });
}
