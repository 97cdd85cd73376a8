// Regenerate and edit with branches: versions kept as alternatives, the active path followed by
// every reader (conversation, model messages, converters, export/import), the most recent path
// under a selected version, tool calls with their message, and "branch in new chat" for
// messages of a closed (summarized) segment.
import {
  exportConversation,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  toOpenAIMessages,
  toTurns,
  toUIMessages,
} from '@ai-session-manager/core';
import { activePath, BranchError } from '@ai-session-manager/core/chat';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

const contents = async (sm: SessionManager) => (await sm.getConversation()).map((t) => t.content);

/** u1 a1 u2 a2, all recorded. */
async function fourTurns(sm: SessionManager): Promise<string[]> {
  await sm.userSays('u1');
  await sm.aiResponds('a1');
  await sm.userSays('u2');
  await sm.aiResponds('a2');
  return (await sm.getConversation()).map((t) => t.eventId);
}

for (const factory of storeFactories) {
  describe(`branches (${factory.kind})`, () => {
    it('regenerate keeps the old reply as an alternative; select switches between them', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      const [, , , a2] = await fourTurns(sm);
      const reply = await sm.regenerate();
      reply.append('a2 take two');
      await reply.finish();
      const turns = await sm.getConversation();
      expect(turns.map((t) => t.content)).toEqual(['u1', 'a1', 'u2', 'a2 take two']);
      expect(turns[3]!.alternatives).toEqual({ index: 1, count: 2 });
      expect(turns[0]!.alternatives).toBeUndefined();
      const alts = await sm.getAlternatives(a2!);
      expect(alts.versions.map((v) => v.content)).toEqual(['a2', 'a2 take two']);
      expect(alts.activeIndex).toBe(1);
      expect((await sm.getMessagesForLLM()).at(-1)!.content).toBe('a2 take two');
      await sm.selectAlternative(a2!);
      expect(await contents(sm)).toEqual(['u1', 'a1', 'u2', 'a2']);
      expect((await sm.getConversation())[3]!.alternatives).toEqual({ index: 0, count: 2 });
      expect((await sm.getMessagesForLLM()).at(-1)!.content).toBe('a2');
      expect((await sm.getMessagesForLLM({ maxTokens: 1000 })).map((m) => m.content)).toEqual([
        'u1',
        'a1',
        'u2',
        'a2',
      ]);
      expect((await sm.getAlternatives(reply.eventId)).activeIndex).toBe(0);
      // The converters follow the selection the manager last read.
      const events = await sm.getEvents();
      expect(sm.activeLeafId).toBe(a2);
      expect(toOpenAIMessages(events, { activeLeafId: sm.activeLeafId }).at(-1)).toMatchObject({
        content: 'a2',
      });
      // Another tab sees the same selection; both versions are counted in the billing totals.
      const other = await SessionManager.open(sm.conversationId, { store: factory.reopen(store) });
      expect(await contents(other)).toEqual(['u1', 'a1', 'u2', 'a2']);
      expect((await other.getStats()).aiMessages).toBe(3);
      // Stats of the path as shown count one version of each message.
      const pathStats = await other.getActivePathStats();
      expect(pathStats.aiMessages).toBe(2);
      expect(pathStats.totalMessages).toBe(4);
      expect(pathStats.completionTokens).toBeLessThan((await other.getStats()).completionTokens);
    });

    it('editing a user message starts a new branch; what followed the old version stays on its branch', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      const [u1] = await fourTurns(sm);
      const edit = await sm.editMessage(u1!, 'u1 edited');
      expect(edit.forked).toBe(false);
      expect(await contents(sm)).toEqual(['u1 edited']);
      // A version is recorded as userSays records a message: counted, priced, its context size kept.
      const events = await sm.getEvents();
      const edited = events.find((e) => e.id === edit.eventId)!;
      const original = events.find((e) => e.id === u1)!;
      expect(edited.tokenUsage).toMatchObject({ promptTokens: 3, completionTokens: 0, contextTokens: 3 });
      expect(Object.keys(edited.tokenUsage!).sort()).toEqual(Object.keys(original.tokenUsage!).sort());
      const reply = await sm.beginResponse();
      reply.append('answer to the edit');
      await reply.finish();
      expect(await contents(sm)).toEqual(['u1 edited', 'answer to the edit']);
      expect((await sm.getConversation())[0]!.alternatives).toEqual({ index: 1, count: 2 });
      await sm.selectAlternative(u1!);
      // The most recent path under the selected version, as ChatGPT shows it.
      expect(await contents(sm)).toEqual(['u1', 'a1', 'u2', 'a2']);
      await sm.selectAlternative(edit.eventId);
      expect(await contents(sm)).toEqual(['u1 edited', 'answer to the edit']);
    });

    it('messages written after selecting an older branch continue that branch', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      const [, , , a2] = await fourTurns(sm);
      const reply = await sm.regenerate(a2);
      reply.append('a2b');
      await reply.finish();
      await sm.userSays('u3 on the new branch');
      await sm.selectAlternative(a2!);
      await sm.userSays('u3 on the old branch');
      await sm.aiResponds('a3 old');
      expect(await contents(sm)).toEqual(['u1', 'a1', 'u2', 'a2', 'u3 on the old branch', 'a3 old']);
      await sm.selectAlternative(reply.eventId);
      expect(await contents(sm)).toEqual(['u1', 'a1', 'u2', 'a2b', 'u3 on the new branch']);
      // Nothing on any branch is lost.
      expect((await sm.getEvents()).map((e) => e.message)).toEqual([
        'u1',
        'a1',
        'u2',
        'a2',
        'a2b',
        'u3 on the new branch',
        'u3 on the old branch',
        'a3 old',
      ]);
    });

    it('tool calls follow their message; converters follow the active branch', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await sm.userSays('what is 2+2?');
      await sm.aiResponds('let me compute', { eventId: 'ask-1' });
      await sm.toolUsed('calc', { expr: '2+2' }, 4, { parentEventId: 'ask-1', toolCallId: 'call-1' });
      const reply = await sm.regenerate('ask-1');
      reply.append('It is 4.');
      await reply.finish();
      const events = await sm.getEvents();
      const path = activePath(events);
      expect(path.map((e) => e.type)).toEqual(['message', 'message']);
      expect(toOpenAIMessages(events).map((m) => m.content)).toEqual(['what is 2+2?', 'It is 4.']);
      await sm.selectAlternative('ask-1');
      const head = (await store.getHead(sm.conversationId))!;
      const leaf = head.state.activeLeafId as string;
      expect(toOpenAIMessages(events, { activeLeafId: leaf }).map((m) => m.role)).toEqual([
        'user',
        'assistant',
        'tool',
      ]);
      expect(toUIMessages(events, { activeLeafId: leaf })).toHaveLength(2);
      expect(toTurns(events, { activeLeafId: leaf }).map((t) => t.content)).toEqual([
        'what is 2+2?',
        'let me compute',
      ]);
    });

    it('export/import keeps every branch and the selection', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      const [u1, , , a2] = await fourTurns(sm);
      const r = await sm.regenerate(a2);
      r.append('a2b');
      await r.finish();
      await sm.editMessage(u1!, 'u1b');
      await sm.selectAlternative(a2!);
      const doc = await exportConversation(sm.conversationId, { store });
      const target = new MemorySessionStore();
      await importConversation(JSON.parse(JSON.stringify(doc)), { store: target });
      const copy = await SessionManager.open(sm.conversationId, { store: target });
      expect(await contents(copy)).toEqual(['u1', 'a1', 'u2', 'a2']);
      expect(await copy.getConversation()).toEqual(await sm.getConversation());
      expect((await copy.getEvents()).length).toBe(6);
      expect((await copy.getAlternatives(u1!)).versions.map((v) => v.content)).toEqual(['u1', 'u1b']);
    });

    it('a discarded regeneration leaves the previous version active', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      await fourTurns(sm);
      const reply = await sm.regenerate();
      reply.append('half');
      await reply.flush();
      expect((await sm.getConversation()).at(-1)).toMatchObject({ content: 'half', status: 'streaming' });
      // Not sent while streaming: the model sees the path without it.
      expect((await sm.getMessagesForLLM()).map((m) => m.content)).toEqual(['u1', 'a1', 'u2']);
      await reply.discard();
      expect(await contents(sm)).toEqual(['u1', 'a1', 'u2', 'a2']);
      expect((await sm.getConversation())[3]!.alternatives).toBeUndefined();
    });

    it('refuses what cannot be branched, writing nothing', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store });
      const [u1, a1] = await fourTurns(sm);
      await expect(sm.regenerate(u1)).rejects.toBeInstanceOf(BranchError);
      await expect(sm.editMessage(a1!, 'x')).rejects.toBeInstanceOf(BranchError);
      await expect(sm.editMessage('nope', 'x')).rejects.toBeInstanceOf(BranchError);
      await expect(sm.editMessage(u1!, 42 as unknown as string)).rejects.toBeInstanceOf(InvalidInputError);
      await expect(sm.selectAlternative('nope')).rejects.toBeInstanceOf(BranchError);
      await expect(new SessionManager({ store }).regenerate()).rejects.toBeInstanceOf(BranchError);
      expect((await sm.getStats()).totalEvents).toBe(4);
    });

    it('regenerate with no assistant reply on the active path says so', async () => {
      const sm = new SessionManager({ store: factory.create() });
      const noReply = 'There is no assistant reply on the active path to regenerate.';
      await expect(sm.regenerate()).rejects.toThrow(noReply);
      await sm.userSays('only a question');
      await expect(sm.regenerate()).rejects.toMatchObject({ name: 'BranchError', message: noReply });
      await expect(sm.regenerate('nope')).rejects.toThrow(
        'nope is not an assistant message of this conversation.',
      );
      expect((await sm.getStats()).totalEvents).toBe(1);
    });

    it('editing a message of a closed segment forks a new conversation with the summary chain', async () => {
      const store = factory.create();
      const options = { store, infiniteContext: true, maxTurnsPerSegment: 2 } as const;
      const sm = new SessionManager(options);
      const [u1, , u2, a2] = await fourTurns(sm);
      await sm.userSays('u3');
      await sm.aiResponds('a3');
      await sm.userSays('u4');
      // Segments: [u1 a1 S] [u2 a2 S] [u3 a3 S]? With 2 messages per segment: three closed, u4 in the head.
      const chain = await sm.getSessionChain();
      expect(chain.length).toBeGreaterThanOrEqual(3);
      const before = await exportConversation(sm.conversationId, { store });
      await expect(sm.selectAlternative(u2!)).rejects.toBeInstanceOf(BranchError);
      const edit = await sm.editMessage(u2!, 'u2 rethought');
      expect(edit.forked).toBe(true);
      expect(edit.conversationId).not.toBe(sm.conversationId);
      // The original is untouched.
      expect({ ...(await exportConversation(sm.conversationId, { store })), exportedAt: 0 }).toEqual({
        ...before,
        exportedAt: 0,
      });
      const fork = await SessionManager.open(edit.conversationId, options);
      expect(await contents(fork)).toEqual(['u1', 'a1', 'u2 rethought']);
      const root = (await store.getSession(edit.conversationId))!;
      expect(root.metadata.forkedFrom).toEqual({ conversationId: sm.conversationId, eventId: u2 });
      const forModel = await fork.getMessagesForLLM();
      expect(forModel[0]!.content).toMatch(/^Summary of the conversation so far/);
      expect(forModel.at(-1)!.content).toBe('u2 rethought');
      // The fork is a valid conversation: it exports and imports.
      await importConversation(await exportConversation(fork.conversationId, { store }), {
        store: new MemorySessionStore(),
      });
      // Regenerating a closed segment's reply forks too.
      const reply = await sm.regenerate(a2);
      expect(reply.conversationId).not.toBe(sm.conversationId);
      reply.append('a2 again');
      await reply.finish();
      const second = await SessionManager.open(reply.conversationId, options);
      expect(await contents(second)).toEqual(['u1', 'a1', 'u2', 'a2 again']);
      expect((await sm.getAlternatives(u1!)).versions).toHaveLength(1);
    });
  });
}
