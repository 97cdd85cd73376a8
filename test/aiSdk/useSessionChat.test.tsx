// @vitest-environment jsdom
import { useSessionChat } from '@ai-session-manager/ai-sdk/react';
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { UIMessage } from 'ai';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { uniqueDbName } from '../helpers';
import { scriptedModel, textOf, textStep, toolStep } from './scriptedModel';

// useSessionChat over fake-indexeddb: two DexieSessionStore handles on one database stand for
// two tabs (Dexie tells every handle about a commit, as it tells other tabs).

const echo = (messages: UIMessage[]) => textStep(`You said: ${textOf(messages[messages.length - 1])}`);
const texts = (messages: UIMessage[]) => messages.map(textOf);

describe('useSessionChat', () => {
  it('records a new chat, reloads it, and shows another tab its messages live, both ways', async () => {
    const name = uniqueDbName('use-session-chat');
    const model = scriptedModel(echo);
    const storeA = new DexieSessionStore({ name });
    const tabA = renderHook(() => useSessionChat({ transport: model, store: storeA }));
    await waitFor(() => expect(tabA.result.current.isLoading).toBe(false));
    expect(tabA.result.current.messages).toEqual([]);
    await act(() => tabA.result.current.sendMessage({ text: 'hello' }));
    await waitFor(() => expect(tabA.result.current.status).toBe('ready'));
    const id = tabA.result.current.conversationId;
    expect(texts(tabA.result.current.messages)).toEqual(['hello', 'You said: hello']);

    const storeB = new DexieSessionStore({ name });
    const tabB = renderHook(() => useSessionChat({ conversationId: id, transport: model, store: storeB }));
    await waitFor(() => expect(tabB.result.current.messages).toEqual(tabA.result.current.messages));
    expect(tabB.result.current.conversationId).toBe(id);

    await act(() => tabA.result.current.sendMessage({ text: 'from A' }));
    await waitFor(() => expect(texts(tabB.result.current.messages)).toHaveLength(4));
    await act(() => tabB.result.current.sendMessage({ text: 'from B' }));
    // (B's reply shows in A while it streams, then complete.)
    await waitFor(() =>
      expect(texts(tabA.result.current.messages)).toEqual([
        'hello',
        'You said: hello',
        'from A',
        'You said: from A',
        'from B',
        'You said: from B',
      ]),
    );
    await waitFor(() => expect(tabB.result.current.messages).toEqual(tabA.result.current.messages));
    // Each message was written once, by the tab that produced it.
    const sm = await SessionManager.open(id, { store: new DexieSessionStore({ name }) });
    expect((await sm.getEvents()).map((e) => e.message)).toEqual(texts(tabA.result.current.messages));

    // A reload: a fresh hook (and store handle) on the conversation id finds everything.
    const before = tabA.result.current.messages;
    tabA.unmount();
    const storeAfterReload = new DexieSessionStore({ name });
    const reloaded = renderHook(() =>
      useSessionChat({ conversationId: id, transport: model, store: storeAfterReload }),
    );
    await waitFor(() => expect(reloaded.result.current.isLoading).toBe(false));
    expect(reloaded.result.current.messages).toEqual(before);
    tabB.unmount();
    reloaded.unmount();
  });

  it('regenerate: the replaced reply stays out of the chat and the model request (the store keeps it as a version)', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('use-session-chat') });
    const model = scriptedModel((_, request) => textStep(`reply #${request + 1}`));
    const { result } = renderHook(() => useSessionChat({ transport: model, store }));
    await act(() => result.current.sendMessage({ text: 'hi' }));
    await waitFor(() => expect(texts(result.current.messages)).toEqual(['hi', 'reply #1']));
    await act(() => result.current.regenerate());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    // Another write lets the store's view in again: the old reply must not come back.
    await act(() => result.current.sendMessage({ text: 'next' }));
    await waitFor(() =>
      expect(texts(result.current.messages)).toEqual(['hi', 'reply #2', 'next', 'reply #3']),
    );
    const sm = await SessionManager.open(result.current.conversationId, { store });
    expect((await sm.getEvents()).map((e) => e.message)).toEqual([
      'hi',
      'reply #1',
      'reply #2',
      'next',
      'reply #3',
    ]);
  });

  it('keeps its chat when the new conversation id is passed back (e.g. put in the URL)', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('use-session-chat') });
    const model = scriptedModel(echo);
    const { result, rerender } = renderHook(
      (props: { id?: string }) => useSessionChat({ conversationId: props.id, transport: model, store }),
      { initialProps: {} },
    );
    await act(() => result.current.sendMessage({ text: 'hi' }));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    const { manager, messages } = result.current;
    rerender({ id: result.current.conversationId });
    expect(result.current.manager).toBe(manager);
    expect(result.current.messages).toBe(messages);
  });

  it('continues a conversation opened by a later segment id, with tool parts, under StrictMode', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('use-session-chat') });
    const model = scriptedModel(() => [
      ...toolStep('Computing.', {
        toolCallId: 'c1',
        toolName: 'calculator',
        input: { expression: '1+1' },
        output: { value: 2 },
      }),
      ...textStep('Two.'),
    ]);
    const session = { infiniteContext: true, maxTurnsPerSegment: 3 };
    const first = renderHook(() => useSessionChat({ transport: model, store, session }), {
      wrapper: StrictMode,
    });
    await waitFor(() => expect(first.result.current.isLoading).toBe(false));
    for (const text of ['a', 'b']) {
      await act(() => first.result.current.sendMessage({ text }));
      await waitFor(() => expect(first.result.current.status).toBe('ready'));
    }
    await waitFor(() => expect(first.result.current.messages).toHaveLength(4));
    const manager = first.result.current.manager;
    await waitFor(async () => expect(await manager.getSessionChain()).toHaveLength(2));
    const shown = first.result.current.messages;
    expect(shown[3]!.parts.map((p) => p.type)).toEqual([
      'step-start',
      'text',
      'tool-calculator',
      'step-start',
      'text',
    ]);
    first.unmount();

    const chain = await manager.getSessionChain();
    const again = renderHook(
      () => useSessionChat({ conversationId: chain[1], transport: model, store, session }),
      {
        wrapper: StrictMode,
      },
    );
    await waitFor(() => expect(again.result.current.isLoading).toBe(false));
    expect(again.result.current.messages).toEqual(shown);
    expect(again.result.current.conversationId).toBe(chain[0]);
    // The request after the rollover carried the summary, not the first exchange.
    expect(model.requests[1]!.map((m) => m.role)).toEqual(['system', 'user']);
    again.unmount();
  });
});

describe('useSessionChat follows a fork', () => {
  it('regenerating a summarized reply moves the hook to the forked conversation and tells the app', async () => {
    const name = uniqueDbName('use-session-chat-fork');
    const store = new DexieSessionStore({ name });
    const model = scriptedModel((messages, request) =>
      textStep(`reply #${request + 1} to ${textOf(messages.at(-1))}`),
    );
    const changes: string[] = [];
    const { result } = renderHook(() =>
      useSessionChat({
        transport: model,
        store,
        session: { infiniteContext: true, maxTurnsPerSegment: 2, defaultModel: 'gpt-4o-mini' },
        onConversationChange: (id) => changes.push(id),
      }),
    );
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    for (const text of ['one', 'two', 'three']) {
      await act(() => result.current.sendMessage({ text }));
      await waitFor(() => expect(result.current.status).toBe('ready'));
    }
    const original = result.current.conversationId;
    await act(() => result.current.regenerate({ messageId: result.current.messages[1]!.id }));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await waitFor(() => expect(changes).toHaveLength(1));
    expect(changes[0]).not.toBe(original);
    await waitFor(() => expect(result.current.conversationId).toBe(changes[0]));
    expect(result.current.manager.conversationId).toBe(changes[0]);
    expect(texts(result.current.messages)).toEqual(['one', 'reply #4 to one']);
    // A reload of the fork shows the same; the original still has its first reply.
    const fork = await SessionManager.open(changes[0]!, { store: new DexieSessionStore({ name }) });
    expect((await fork.getConversation()).map((t) => t.content)).toEqual(['one', 'reply #4 to one']);
    const old = await SessionManager.open(original, { store: new DexieSessionStore({ name }) });
    const oldTurns = await old.getConversation({ includeAllSegments: true });
    expect(oldTurns.map((t) => t.content).slice(0, 2)).toEqual(['one', 'reply #1 to one']);
  });
});

describe('useSessionChat lists and selects versions', () => {
  it('a regenerated reply has two versions; selecting the first shows it, as a reload would', async () => {
    const name = uniqueDbName('use-session-chat-versions');
    const store = new DexieSessionStore({ name });
    const model = scriptedModel((_, request) => textStep(`reply #${request + 1}`));
    const { result } = renderHook(() => useSessionChat({ transport: model, store }));
    await act(() => result.current.sendMessage({ text: 'hi' }));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(await result.current.getVersions(result.current.messages[1]!.id)).toBeUndefined();
    await act(() => result.current.regenerate());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await waitFor(() => expect(texts(result.current.messages)).toEqual(['hi', 'reply #2']));
    const latest = result.current.messages[1]!.id;
    expect(await result.current.getVersions(latest)).toEqual({ index: 1, count: 2 });

    await act(() => result.current.selectVersion(latest, 0));
    await waitFor(() => expect(texts(result.current.messages)).toEqual(['hi', 'reply #1']));
    expect(await result.current.getVersions(result.current.messages[1]!.id)).toEqual({ index: 0, count: 2 });
    // The selection is stored: a reload (a fresh hook and store handle) shows the same.
    const id = result.current.conversationId;
    const otherStore = new DexieSessionStore({ name });
    const reloaded = renderHook(() =>
      useSessionChat({ conversationId: id, transport: model, store: otherStore }),
    );
    await waitFor(() => expect(texts(reloaded.result.current.messages)).toEqual(['hi', 'reply #1']));
    await expect(result.current.selectVersion(latest, 5)).rejects.toThrow(/no version 5/);
  });
});
