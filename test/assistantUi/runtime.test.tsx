// @vitest-environment jsdom
import { useSessionLocalRuntime, useSessionThreadListRuntime } from '@ai-session-manager/assistant-ui';
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import { type AssistantRuntime, AssistantRuntimeProvider } from '@assistant-ui/react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Thread } from '../../packages/assistant-ui/example/Thread';
import { uniqueDbName } from '../helpers';
import { type ScriptedModel, scriptedModel } from './localModel';

// The real assistant-ui runtime (useLocalRuntime / useRemoteThreadListRuntime) in jsdom, with
// the example's primitives UI, over fake-indexeddb. A second DexieSessionStore on the same
// database stands for a reload (or another tab).

const slow = { timeout: 10_000 };

// jsdom has no layout, hence no ResizeObserver nor scrollTo (the thread viewport auto-scrolls).
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
Element.prototype.scrollTo ??= () => {};

interface AppProps {
  model: ScriptedModel;
  store: DexieSessionStore;
  onRuntime: (runtime: AssistantRuntime) => void;
}

/** One stored conversation in a LocalRuntime, shown with the example's primitives. */
function LocalApp({ model, store, onRuntime, id }: AppProps & { id: string }) {
  const runtime = useSessionLocalRuntime(model, id, { store });
  onRuntime(runtime);
  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <Thread />
    </AssistantRuntimeProvider>
  );
}

/** A thread list of stored conversations. */
function ListApp({ model, store, onRuntime }: AppProps) {
  const runtime = useSessionThreadListRuntime({ chatModel: model, store });
  onRuntime(runtime);
  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <Thread />
    </AssistantRuntimeProvider>
  );
}

function mountThread(model: ScriptedModel, id: string, name: string) {
  let runtime: AssistantRuntime | undefined;
  const view = render(
    <LocalApp
      model={model}
      id={id}
      store={new DexieSessionStore({ name })}
      onRuntime={(r) => (runtime = r)}
    />,
  );
  return { view, runtime: () => runtime! };
}

/** The texts shown, and each message's branch picker ("2 / 2") when it has one. */
function shown(container: HTMLElement) {
  return [...container.querySelectorAll('.message')].map((m) => {
    const text = m.querySelector('.bubble')?.textContent ?? '';
    const picker = m.querySelector('.branch-number')?.textContent?.replace(/\s+/g, ' ');
    return picker ? `${text} [${picker}]` : text;
  });
}

async function send(container: HTMLElement, text: string) {
  const composer = container.querySelector('.composer') as HTMLElement;
  fireEvent.change(within(composer).getByLabelText('Message'), { target: { value: text } });
  await act(async () => {
    fireEvent.click(within(composer).getByText('Send'));
  });
}

/** What a fresh manager reads from storage: core's active path. */
async function storedPath(name: string, id: string) {
  const sm = new SessionManager({ sessionId: id, store: new DexieSessionStore({ name }) });
  return (await sm.getConversation()).map((t) => t.content);
}

describe('assistant-ui runtime over the store', () => {
  it('stores a reply while it streams, branches by reload and edit, and a reload shows the same tree and branch', async () => {
    const name = uniqueDbName('aui-runtime');
    const id = crypto.randomUUID();
    const model = scriptedModel((text, n) => `Reply ${n + 1} to ${text}`, { hold: true });
    const tab = mountThread(model, id, name);
    const { container } = tab.view;

    await send(container, 'hello');
    // Mid-stream: the reply's first word is already stored, as a reply still streaming.
    await waitFor(async () => {
      const sm = new SessionManager({ sessionId: id, store: new DexieSessionStore({ name }) });
      const events = await sm.getEvents();
      expect(events.map((e) => [e.message, e.reply?.status])).toEqual([
        ['hello', undefined],
        ['Reply ', 'streaming'],
      ]);
    }, slow);
    await act(async () => model.release());
    await waitFor(() => expect(shown(container)).toEqual(['hello', 'Reply 1 to hello']));
    await waitFor(
      async () => expect(await storedPath(name, id)).toEqual(['hello', 'Reply 1 to hello']),
      slow,
    );

    // Reload the reply: a second version under the same message.
    await act(async () => {
      fireEvent.click(
        within(container.querySelector('.message.assistant') as HTMLElement).getByText('Reload'),
      );
    });
    await act(async () => model.release());
    await waitFor(() => expect(shown(container)).toEqual(['hello', 'Reply 2 to hello [2 / 2]']));
    await waitFor(
      async () => expect(await storedPath(name, id)).toEqual(['hello', 'Reply 2 to hello']),
      slow,
    );

    // Edit the question: a second version of it, with its own reply.
    await act(async () => {
      fireEvent.click(within(container.querySelector('.message.user') as HTMLElement).getByText('Edit'));
    });
    fireEvent.change(screen.getByLabelText('Edit message'), { target: { value: 'hello again' } });
    await act(async () => {
      fireEvent.click(screen.getByText('Update'));
    });
    await act(async () => model.release());
    await waitFor(() => expect(shown(container)).toEqual(['hello again [2 / 2]', 'Reply 3 to hello again']));
    await waitFor(
      async () => expect(await storedPath(name, id)).toEqual(['hello again', 'Reply 3 to hello again']),
      slow,
    );

    // Back to the first question in the UI: that branch (with its newest reply) is persisted.
    await act(async () => {
      fireEvent.click(
        within(container.querySelector('.message.user') as HTMLElement).getByLabelText('Previous version'),
      );
    });
    await waitFor(() => expect(shown(container)).toEqual(['hello [1 / 2]', 'Reply 2 to hello [2 / 2]']));
    await waitFor(
      async () => expect(await storedPath(name, id)).toEqual(['hello', 'Reply 2 to hello']),
      slow,
    );

    // A reload: a new runtime on a new store handle shows the same tree and the same branch.
    tab.view.unmount();
    const again = mountThread(scriptedModel(), id, name);
    await waitFor(() =>
      expect(shown(again.view.container)).toEqual(['hello [1 / 2]', 'Reply 2 to hello [2 / 2]']),
    );
    // …and every version is still there to switch to.
    await act(async () => {
      fireEvent.click(
        within(again.view.container.querySelector('.message.assistant') as HTMLElement).getByLabelText(
          'Previous version',
        ),
      );
    });
    await waitFor(() =>
      expect(shown(again.view.container)).toEqual(['hello [1 / 2]', 'Reply 1 to hello [1 / 2]']),
    );
    await waitFor(
      async () => expect(await storedPath(name, id)).toEqual(['hello', 'Reply 1 to hello']),
      slow,
    );
    // The model was sent what the UI showed each time.
    expect(model.calls).toEqual([['hello'], ['hello'], ['hello again']]);
    again.view.unmount();
  });

  it('a stopped reply is stored as aborted, with the text it had', async () => {
    const name = uniqueDbName('aui-stop');
    const id = crypto.randomUUID();
    const model = scriptedModel((text) => `Long answer to ${text}`, { hold: true });
    const tab = mountThread(model, id, name);
    await send(tab.view.container, 'question');
    await waitFor(async () => {
      const sm = new SessionManager({ sessionId: id, store: new DexieSessionStore({ name }) });
      expect((await sm.getEvents()).map((e) => e.message)).toEqual(['question', 'Long ']);
    }, slow);
    await act(async () => {
      fireEvent.click(within(tab.view.container.querySelector('.composer') as HTMLElement).getByText('Stop'));
    });
    await act(async () => model.release());
    await waitFor(async () => {
      const sm = new SessionManager({ sessionId: id, store: new DexieSessionStore({ name }) });
      const reply = (await sm.getEvents())[1]!;
      expect([reply.message, reply.reply?.status]).toEqual(['Long ', 'aborted']);
    }, slow);
    // A reload shows it as it was left: stopped.
    tab.view.unmount();
    const again = mountThread(scriptedModel(), id, name);
    await waitFor(() => expect(shown(again.view.container)).toEqual(['question', 'Long ']));
    const last = again.runtime().thread.getState().messages[1];
    expect(last?.status).toMatchObject({ type: 'incomplete', reason: 'cancelled' });
    again.view.unmount();
  });

  it('another tab shows the messages one tab stores, live, and continues the thread', async () => {
    const name = uniqueDbName('aui-tabs');
    const id = crypto.randomUUID();
    const tabA = mountThread(
      scriptedModel((text) => `A answers ${text}`),
      id,
      name,
    );
    const tabB = mountThread(
      scriptedModel((text) => `B answers ${text}`),
      id,
      name,
    );
    await send(tabA.view.container, 'from A');
    await waitFor(() => expect(shown(tabA.view.container)).toEqual(['from A', 'A answers from A']));
    await waitFor(() => expect(shown(tabB.view.container)).toEqual(['from A', 'A answers from A']), slow);
    await send(tabB.view.container, 'from B');
    await waitFor(
      () =>
        expect(shown(tabA.view.container)).toEqual([
          'from A',
          'A answers from A',
          'from B',
          'B answers from B',
        ]),
      slow,
    );
    expect(await storedPath(name, id)).toEqual(['from A', 'A answers from A', 'from B', 'B answers from B']);
    tabA.view.unmount();
    tabB.view.unmount();
  });

  it('a message deleted in one tab disappears from the other, live', async () => {
    const name = uniqueDbName('aui-tabs-delete');
    const id = crypto.randomUUID();
    const tabA = mountThread(scriptedModel(), id, name);
    const tabB = mountThread(scriptedModel(), id, name);
    await send(tabA.view.container, 'keep me');
    await waitFor(() => expect(shown(tabA.view.container)).toEqual(['keep me', 'Reply 1 to keep me']));
    await send(tabA.view.container, 'delete me');
    const both = ['keep me', 'Reply 1 to keep me', 'delete me', 'Reply 2 to delete me'];
    await waitFor(() => expect(shown(tabA.view.container)).toEqual(both), slow);
    await waitFor(() => expect(shown(tabB.view.container)).toEqual(both), slow);
    const reply = tabA.runtime().thread.getState().messages[3]!;
    await act(async () => {
      await tabA.runtime().thread.deleteMessage(reply.id);
    });
    const left = ['keep me', 'Reply 1 to keep me', 'delete me'];
    await waitFor(() => expect(shown(tabA.view.container)).toEqual(left));
    await waitFor(() => expect(shown(tabB.view.container)).toEqual(left), slow);
    tabA.view.unmount();
    tabB.view.unmount();
  });

  it('a thread list runtime stores threads as conversations: title, rename, archive, and a reload finds them', async () => {
    const name = uniqueDbName('aui-list-runtime');
    const model = scriptedModel();
    let runtime: AssistantRuntime | undefined;
    const app = () => (
      <ListApp model={model} store={new DexieSessionStore({ name })} onRuntime={(r) => (runtime = r)} />
    );
    const view = render(app());
    await send(view.container, 'Plan a trip to Rome');
    await waitFor(() =>
      expect(shown(view.container)).toEqual(['Plan a trip to Rome', 'Reply 1 to Plan a trip to Rome']),
    );
    const store = new DexieSessionStore({ name });
    // The thread is a stored conversation, titled offline from its first message.
    await waitFor(
      async () =>
        expect((await store.listConversations()).map((c) => c.title)).toEqual(['Plan a trip to Rome']),
      slow,
    );
    const [conversation] = await store.listConversations();
    const remoteId = conversation!.conversationId;
    await waitFor(
      async () =>
        expect(await storedPath(name, remoteId)).toEqual([
          'Plan a trip to Rome',
          'Reply 1 to Plan a trip to Rome',
        ]),
      slow,
    );

    await act(async () => {
      await runtime!.threads.mainItem.rename('Rome');
    });
    await waitFor(async () => expect((await store.listConversations())[0]?.title).toBe('Rome'));
    await act(async () => {
      await runtime!.threads.mainItem.archive();
    });
    await waitFor(async () => expect((await store.listConversations())[0]?.metadata.archived).toBe(true));
    view.unmount();

    // A reload: the list comes from the store; opening the thread loads its messages.
    const reloaded = render(app());
    await waitFor(() => expect(runtime!.threads.getState().archivedThreadIds.length).toBe(1));
    const item = runtime!.threads.getArchivedItemByIndex(0);
    expect(item.getState()).toMatchObject({ remoteId, title: 'Rome', status: 'archived' });
    await act(async () => {
      await item.switchTo({ unarchive: true });
    });
    await waitFor(() =>
      expect(shown(reloaded.container)).toEqual(['Plan a trip to Rome', 'Reply 1 to Plan a trip to Rome']),
    );
    await waitFor(async () => expect((await store.listConversations())[0]?.metadata.archived).toBe(false));
    reloaded.unmount();
  });
});
