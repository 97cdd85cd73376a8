// @vitest-environment jsdom
// Windowed reads with streamed replies (updated in place), lease expiry and branches.
import { EventSource, EventType, MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { useConversation, useSession } from '@ai-session-manager/react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { freshStore, providerFor } from './reactHelpers';

for (const [kind, make] of [
  ['dexie', freshStore],
  ['memory', () => new MemorySessionStore()],
] as const) {
  describe(`a window with streamed replies and branches (${kind})`, () => {
    it.each([2, 10])(
      'shows a reply from another manager grow in place, then complete (window %i)',
      async (WIN) => {
        const store = make();
        const writer = new SessionManager({ store });
        await writer.userSays('one');
        await writer.aiResponds('two');
        await writer.userSays('three');
        const { result } = renderHook(() => useConversation(writer.conversationId, { window: WIN }), {
          wrapper: providerFor(store),
        });
        await waitFor(() =>
          expect(result.current.messages.map((m) => m.content)).toEqual(['one', 'two', 'three'].slice(-WIN)),
        );
        const reply = await writer.beginResponse({ flushMs: 1 });
        await waitFor(() =>
          expect(result.current.messages.at(-1)).toMatchObject({ content: '', status: 'streaming' }),
        );
        reply.append('Hi');
        await reply.flush();
        await waitFor(() => expect(result.current.messages.at(-1)!.content).toBe('Hi'));
        reply.append(' there');
        await reply.finish();
        await waitFor(() =>
          expect(result.current.messages.at(-1)).toMatchObject({ content: 'Hi there', status: 'complete' }),
        );
        expect(result.current.events).toHaveLength(Math.min(WIN, 3) + 1);
        expect(result.current.hasOlder).toBe(WIN < 3);
      },
    );

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
      const { result } = renderHook(() => useConversation(writer.conversationId, { window: 5 }), {
        wrapper: providerFor(store),
      });
      await waitFor(() => expect(result.current.messages[1]?.status).toBe('streaming'));
      await waitFor(() => expect(result.current.messages[1]?.status).toBe('interrupted'));
    });

    it('follows the active branch of the head: regenerate and select', async () => {
      const store = make();
      const { result } = renderHook(
        () => {
          const session = useSession();
          return { session, conversation: useConversation(session.conversationId, { window: 10 }) };
        },
        { wrapper: providerFor(store) },
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
      expect(result.current.conversation.messages).toHaveLength(2);
      await act(() => result.current.session.selectAlternative(firstId));
      await waitFor(() =>
        expect(result.current.conversation.messages[1]).toMatchObject({
          content: 'first answer',
          alternatives: { index: 0, count: 2 },
        }),
      );
    });
  });
}
