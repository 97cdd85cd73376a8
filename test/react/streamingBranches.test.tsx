// @vitest-environment jsdom
// useSession's streaming and branch actions, and useConversation showing a reply grow (from
// another manager, as another tab would), its status, versions ("2 / 3") and the active branch.
import { EventSource, EventType, MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { useConversation, useSession } from '@ai-session-manager/react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { freshStore, providerFor } from './reactHelpers';

for (const [kind, make] of [
  ['dexie', freshStore],
  ['memory', () => new MemorySessionStore()],
] as const) {
  describe(`streaming and branches in React (${kind})`, () => {
    it('useConversation shows a reply written by another manager grow, then complete', async () => {
      const store = make();
      const writer = new SessionManager({ store });
      await writer.userSays('hello');
      const { result } = renderHook(() => useConversation(writer.conversationId), {
        wrapper: providerFor(store),
      });
      await waitFor(() => expect(result.current.messages).toHaveLength(1));
      const reply = await writer.beginResponse({ flushMs: 1 });
      await waitFor(() =>
        expect(result.current.messages[1]).toMatchObject({ content: '', status: 'streaming' }),
      );
      reply.append('Hi');
      await waitFor(() => expect(result.current.messages[1]!.content).toBe('Hi'));
      reply.append(' there');
      await reply.flush();
      await waitFor(() => expect(result.current.messages[1]!.content).toBe('Hi there'));
      await reply.finish();
      await waitFor(() => expect(result.current.messages[1]!.status).toBe('complete'));
    });

    it('a reply whose lease runs out turns interrupted with no further write', async () => {
      const store = make();
      const writer = new SessionManager({ store });
      await writer.userSays('hello');
      const head = (await store.getHead(writer.conversationId))!;
      await store.appendEvent(head.id, {
        id: 'dying',
        timestamp: new Date().toISOString(),
        source: EventSource.LLM,
        type: EventType.MESSAGE,
        message: 'half a rep',
        metadata: { model: 'm' },
        reply: { status: 'streaming', leaseUntil: Date.now() + 150, owner: 'a tab that dies' },
      });
      const { result } = renderHook(() => useConversation(writer.conversationId), {
        wrapper: providerFor(store),
      });
      await waitFor(() => expect(result.current.messages[1]?.status).toBe('streaming'));
      await waitFor(() => expect(result.current.messages[1]?.status).toBe('interrupted'));
    });

    it('useSession resumes or discards an interrupted reply', async () => {
      const store = make();
      const writer = new SessionManager({ store });
      await writer.userSays('hello');
      const head = (await store.getHead(writer.conversationId))!;
      for (const id of ['dead-1', 'dead-2']) {
        await store.appendEvent(head.id, {
          id,
          timestamp: new Date().toISOString(),
          source: EventSource.LLM,
          type: EventType.MESSAGE,
          message: `partial ${id}`,
          metadata: { model: 'gpt-4o-mini' },
          reply: { status: 'streaming', leaseUntil: Date.now() - 1, owner: 'gone' },
        });
      }
      const { result } = renderHook(
        () => {
          const session = useSession(writer.conversationId);
          return { session, conversation: useConversation(writer.conversationId) };
        },
        { wrapper: providerFor(store) },
      );
      await waitFor(() => expect(result.current.conversation.messages).toHaveLength(3));
      await act(async () => {
        await result.current.session.discardResponse('dead-1');
        const resumed = await result.current.session.resumeResponse('dead-2');
        resumed.append(' and done');
        await resumed.finish();
      });
      await waitFor(() =>
        expect(result.current.conversation.messages.map((m) => [m.content, m.status])).toEqual([
          ['hello', 'complete'],
          ['partial dead-2 and done', 'complete'],
        ]),
      );
    });

    it('useSession streams, regenerates, edits and selects; useConversation follows the active branch', async () => {
      const store = make();
      const wrapper = providerFor(store);
      const { result } = renderHook(
        () => {
          const session = useSession();
          return { session, conversation: useConversation(session.conversationId) };
        },
        { wrapper },
      );
      await act(async () => {
        await result.current.session.userSays('question');
        const reply = await result.current.session.beginResponse();
        reply.append('first answer');
        await reply.finish();
      });
      await waitFor(() =>
        expect(result.current.conversation.messages.map((m) => m.content)).toEqual([
          'question',
          'first answer',
        ]),
      );
      const firstId = result.current.conversation.messages[1]!.eventId;
      await act(async () => {
        const again = await result.current.session.regenerate();
        again.append('second answer');
        await again.finish();
      });
      await waitFor(() =>
        expect(result.current.conversation.messages[1]).toMatchObject({
          content: 'second answer',
          alternatives: { index: 1, count: 2 },
        }),
      );
      await act(() => result.current.session.selectAlternative(firstId));
      await waitFor(() =>
        expect(result.current.conversation.messages[1]).toMatchObject({
          content: 'first answer',
          alternatives: { index: 0, count: 2 },
        }),
      );
      const questionId = result.current.conversation.messages[0]!.eventId;
      await act(async () => {
        await result.current.session.editMessage(questionId, 'better question');
      });
      await waitFor(() =>
        expect(result.current.conversation.messages.map((m) => m.content)).toEqual(['better question']),
      );
      expect(result.current.conversation.messages[0]!.alternatives).toEqual({ index: 1, count: 2 });
      const alts = await result.current.session.getAlternatives(questionId);
      expect(alts.versions.map((v) => v.content)).toEqual(['question', 'better question']);
      expect(alts.activeIndex).toBe(1);
      expect(result.current.session.error).toBeNull();
    });
  });
}
