// @vitest-environment jsdom
import { MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { describe, expect, it, vi } from 'vitest';
import { createConversationStore } from '../../packages/react/src/conversationStore';

// The store is framework-free: it must work with React unavailable.
vi.mock('react', () => {
  throw new Error('conversationStore must not import react');
});

describe('createConversationStore (no React)', () => {
  it('keeps a live, structurally shared slice per retained conversation and drops it on release', async () => {
    const sessionStore = new MemorySessionStore();
    const api = createConversationStore(sessionStore);
    const x = new SessionManager({ store: sessionStore, sessionId: 'x' });
    const y = new SessionManager({ store: sessionStore, sessionId: 'y' });
    await x.userSays('x1');

    const releaseX = api.getState().retainConversation('x');
    const releaseY = api.getState().retainConversation('y');
    expect(api.getState().conversations.x?.isLoading).toBe(true);
    await vi.waitFor(() => expect(api.getState().conversations.x?.messages).toHaveLength(1));
    const sliceX = api.getState().conversations.x!;
    const firstEvent = sliceX.events[0];

    await y.userSays('y1');
    await vi.waitFor(() => expect(api.getState().conversations.y?.messages).toHaveLength(1));
    expect(api.getState().conversations.x).toBe(sliceX); // Y's write leaves X's slice untouched

    await x.aiResponds('x2');
    await vi.waitFor(() => expect(api.getState().conversations.x?.messages).toHaveLength(2));
    const next = api.getState().conversations.x!;
    expect(next.events[0]).toBe(firstEvent); // old events keep their identity
    expect(next.stats?.totalMessages).toBe(2);

    // A write that changes nothing this slice shows keeps every reference.
    await x.updateSystemPrompt('same view');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const afterPrompt = api.getState().conversations.x!;
    expect(afterPrompt.events).toBe(next.events);
    expect(afterPrompt.messages).toBe(next.messages);

    releaseX();
    releaseX(); // idempotent
    await Promise.resolve();
    expect(api.getState().conversations.x).toBeUndefined();
    expect(api.getState().conversations.y).toBeDefined();
    releaseY();
    await Promise.resolve();
    expect(api.getState().conversations).toEqual({});
  });

  it('reads only new events on each update', async () => {
    const sessionStore = new MemorySessionStore();
    // The manager reads whole segments to summarize them; count only the reads the slice makes.
    const getEvents = vi.fn(sessionStore.getEvents.bind(sessionStore));
    const observed = Object.assign(Object.create(sessionStore) as MemorySessionStore, { getEvents });
    const api = createConversationStore(observed);
    const sm = new SessionManager({
      store: sessionStore,
      sessionId: 'c',
      infiniteContext: true,
      maxTurnsPerSegment: 3,
    });
    for (let i = 0; i < 3; i++) await sm.userSays(`m${i}`);
    const release = api.getState().retainConversation('c');
    await vi.waitFor(() => expect(api.getState().conversations.c?.messages).toHaveLength(3));
    getEvents.mockClear();

    await sm.userSays('m3'); // rolls over: the old segment gets its summary, a new one starts
    await vi.waitFor(() => expect(api.getState().conversations.c?.messages).toHaveLength(4));
    const slice = api.getState().conversations.c!;
    expect(slice.segments).toHaveLength(2);
    expect(slice.segments[0]!.summary).toContain('m0');
    expect(getEvents.mock.calls.length).toBeGreaterThan(0);
    // The summary (old segment) and the new message (new segment): one event each, by seq range.
    for (const [, range] of getEvents.mock.calls) expect(range?.limit).toBe(1);
    release();
  });

  it('bound actions store the error and reject', async () => {
    const api = createConversationStore(new MemorySessionStore());
    const recorder = api.getState().createRecorder(undefined);
    const detach = api.getState().attachRecorder(recorder);
    await vi.waitFor(() => expect(api.getState().recorders[recorder.key]?.isReady).toBe(true));
    await expect(recorder.actions.toolUsed('', {}, {})).rejects.toThrow(/toolName/);
    expect(api.getState().recorders[recorder.key]?.error?.name).toBe('InvalidInputError');
    detach();
    expect(api.getState().recorders).toEqual({});
  });
});
