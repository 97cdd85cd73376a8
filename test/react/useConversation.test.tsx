// @vitest-environment jsdom
import { DexieSessionStore, EventType, SessionManager } from '@ai-session-manager/core';
import { useConversation, useSession, useSessionStats } from '@ai-session-manager/react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { freshStore, providerFor } from './reactHelpers';

async function chainedConversation(store: DexieSessionStore) {
  const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2, systemPrompt: 'sys' });
  await sm.userSays('My name is Ada');
  await sm.aiResponds('Hello Ada', { model: 'gpt-4o-mini' });
  await sm.toolUsed('lookup', { who: 'Ada' }, { found: true });
  await sm.userSays('What is my name?'); // rolls over into segment 2
  await sm.aiResponds('Ada');
  return sm;
}

function Chat() {
  const s = useSession();
  const { messages } = useConversation(s.conversationId);
  return (
    <div>
      <ul>
        {messages.map((m) => (
          <li key={m.eventId}>{`${m.role}: ${m.content}`}</li>
        ))}
      </ul>
      <button type="button" onClick={() => s.userSays(`message ${messages.length + 1}`)}>
        send
      </button>
    </div>
  );
}

function Recorder({
  id,
  expose,
}: {
  id: string;
  expose: (aiResponds: (text: string) => Promise<string>) => void;
}) {
  expose(useSession(id).aiResponds);
  return null;
}

function View({ id }: { id: string }) {
  const { messages } = useConversation(id);
  const { stats } = useSessionStats(id);
  return (
    <p data-testid="view">{`${messages.map((m) => m.content).join(',')}|${stats?.totalMessages ?? 0}`}</p>
  );
}

describe('useConversation', () => {
  it('shows messages, events and segments of every segment, with summaries and totals', async () => {
    const store = freshStore();
    const sm = await chainedConversation(store);
    const { result } = renderHook(() => useConversation(sm.conversationId), { wrapper: providerFor(store) });
    expect(result.current.isLoading).toBe(true);
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    const { messages, events, segments, error } = result.current;
    expect(error).toBeNull();
    expect(messages).toEqual(await sm.getConversation({ includeAllSegments: true }));
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'My name is Ada'],
      ['assistant', 'Hello Ada'],
      ['user', 'What is my name?'],
      ['assistant', 'Ada'],
    ]);
    expect(events).toEqual(await sm.getEvents({ includeAllSegments: true }));
    expect(events.map((e) => e.type)).toEqual([
      EventType.MESSAGE,
      EventType.MESSAGE,
      EventType.TOOL_CALL,
      EventType.SUMMARY,
      EventType.MESSAGE,
      EventType.MESSAGE,
    ]);
    expect(segments.map((s) => s.id)).toEqual(await sm.getSessionChain());
    const summaryEvent = events.find((e) => e.type === EventType.SUMMARY)!;
    expect(segments[0]!.summary).toBe(summaryEvent.message);
    expect(segments[0]!.summary).toContain('Ada');
    expect(segments[1]!.summary).toBeNull();
    expect(segments[0]!.totals).toMatchObject({ messages: 2, toolCalls: 1, summaries: 1 });
    expect(segments[1]!.totals.totalTokens).toBeGreaterThan(0);
  });

  it('shows only the current segment with includeAllSegments: false', async () => {
    const store = freshStore();
    const sm = await chainedConversation(store);
    const { result } = renderHook(() => useConversation(sm.conversationId, { includeAllSegments: false }), {
      wrapper: providerFor(store),
    });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    expect(result.current.messages).toEqual(await sm.getConversation({ includeAllSegments: false }));
    expect(result.current.events.every((e) => e.sessionId === sm.sessionId)).toBe(true);
    expect(result.current.segments).toHaveLength(2);
  });

  it('is idle without a conversation id and empty for one with nothing recorded yet', async () => {
    const store = freshStore();
    const idle = renderHook(() => useConversation(undefined), { wrapper: providerFor(store) });
    expect(idle.result.current).toMatchObject({ messages: [], isLoading: false, error: null });
    const fresh = renderHook(() => useConversation('nothing-yet'), { wrapper: providerFor(store) });
    await waitFor(() => expect(fresh.result.current.isLoading).toBe(false));
    expect(fresh.result.current).toMatchObject({ messages: [], events: [], segments: [], error: null });
  });

  it('updates live when the same component records', async () => {
    const store = freshStore();
    render(<Chat />, { wrapper: providerFor(store) });
    await act(async () => screen.getByText('send').click());
    expect(await screen.findByText('user: message 1')).toBeTruthy();
    await act(async () => screen.getByText('send').click());
    expect(await screen.findByText('user: message 2')).toBeTruthy();
  });

  it('updates live when another component records', async () => {
    const store = freshStore();
    let record: ((text: string) => Promise<string>) | undefined;
    render(
      <>
        <Recorder id="conv-1" expose={(respond) => (record = respond)} />
        <View id="conv-1" />
      </>,
      { wrapper: providerFor(store) },
    );
    await waitFor(() => expect(screen.getByTestId('view').textContent).toBe('|0'));
    await act(async () => {
      await record!('one');
      await record!('two');
    });
    await waitFor(() => expect(screen.getByTestId('view').textContent).toBe('one,two|2'));
  });

  it('updates live from another DexieSessionStore instance on the same database', async () => {
    const store = freshStore();
    const other = new DexieSessionStore({ name: store.name }); // as another tab would open it
    const writer = new SessionManager({ store: other });
    const { result } = renderHook(
      () => ({ c: useConversation(writer.conversationId), st: useSessionStats(writer.conversationId) }),
      { wrapper: providerFor(store) },
    );
    await waitFor(() => expect(result.current.c.isLoading).toBe(false));
    expect(result.current.c.messages).toEqual([]);
    await act(async () => {
      await writer.userSays('from elsewhere');
      await writer.toolUsed('calc', { a: 1 }, 2);
    });
    await waitFor(() => expect(result.current.c.events).toHaveLength(2));
    expect(result.current.c.messages.map((m) => m.content)).toEqual(['from elsewhere']);
    await waitFor(() => expect(result.current.st.stats?.toolCalls).toBe(1));
    other.close();
  });
});

describe('useSessionStats', () => {
  it('matches SessionManager.getStats across all segments, from running totals', async () => {
    const store = freshStore();
    const sm = await chainedConversation(store);
    const { result } = renderHook(() => useSessionStats(sm.conversationId), { wrapper: providerFor(store) });
    expect(result.current).toEqual({ stats: null, isLoading: true, error: null });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    const expected = await sm.getStats({ includeAllSegments: true });
    expect(result.current.stats).toEqual(expected);
    expect(result.current.stats).toMatchObject({
      sessionSegments: 2,
      totalMessages: 4,
      toolCalls: 1,
      summaries: 1,
      infiniteContext: true,
    });
  });

  it('updates live and keeps its reference when nothing changed', async () => {
    const store = freshStore();
    const sm = new SessionManager({ store });
    await sm.userSays('a');
    const { result, rerender } = renderHook(() => useSessionStats(sm.conversationId), {
      wrapper: providerFor(store),
    });
    await waitFor(() => expect(result.current.stats?.totalMessages).toBe(1));
    const before = result.current;
    rerender();
    expect(result.current).toBe(before);
    await act(async () => {
      await sm.aiResponds('b', { usage: { prompt_tokens: 10, completion_tokens: 5 } });
    });
    await waitFor(() => expect(result.current.stats?.totalMessages).toBe(2));
    expect(result.current.stats).toMatchObject({ aiMessages: 1, completionTokens: 5 });
  });
});
