import { createThreadHistoryAdapter } from '@ai-session-manager/assistant-ui';
import { DexieSessionStore } from '@ai-session-manager/core';
import type { ThreadMessage } from '@assistant-ui/react';
import { describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers';
import { fakeThread } from './fakeThread';
import { assistant, item, message, user } from './messages';

// Two adapters on two store handles of one database stand for two tabs; the second one follows
// its thread with observe, as both hooks do.

/** What a message shows: its text parts, and each tool call's result (or "pending"). */
const look = (m: ThreadMessage) =>
  m.content
    .map((p) =>
      p.type === 'text' ? p.text : p.type === 'tool-call' ? `[${JSON.stringify(p.result ?? 'pending')}]` : '',
    )
    .join(' ');

const waitLong = { timeout: 5_000 };

async function twoTabs() {
  const name = uniqueDbName('aui-live');
  const id = crypto.randomUUID();
  const tabA = createThreadHistoryAdapter({ store: new DexieSessionStore({ name }), conversationId: id });
  const tabB = createThreadHistoryAdapter({ store: new DexieSessionStore({ name }), conversationId: id });
  return { tabA, tabB };
}

describe('updates and deletes made in one tab show live in another', () => {
  it('a tool result and text rewritten by update in tab A show in tab B without a reload', async () => {
    const { tabA, tabB } = await twoTabs();
    await tabA.append(user('u1', null, 'Delete the file?'));
    const call = { type: 'tool-call' as const, toolCallId: 'c1', toolName: 'rm', args: { path: '/tmp/x' } };
    await tabA.append(
      item(
        'u1',
        message('a1', 'assistant', [{ type: 'text', text: 'I will delete it.' }, call], {
          status: { type: 'requires-action', reason: 'tool-calls' },
        }),
      ),
    );
    const thread = fakeThread(await tabB.load());
    const stop = tabB.observe(thread);
    expect(thread.getState().messages.map(look)).toEqual([
      'Delete the file?',
      'I will delete it. ["pending"]',
    ]);

    await tabA.update(
      item(
        'u1',
        message('a1', 'assistant', [
          { type: 'text', text: 'I will delete it.' },
          { ...call, result: 'deleted' },
          { type: 'text', text: 'Done.' },
        ]),
      ),
    );
    await vi.waitFor(
      () =>
        expect(thread.getState().messages.map(look)).toEqual([
          'Delete the file?',
          'I will delete it. ["deleted"] Done.',
        ]),
      waitLong,
    );
    expect(thread.getState().messages[1]?.status?.type).toBe('complete');

    // Only the tool result changes (same text, same status): it shows too.
    await tabA.update(
      item(
        'u1',
        message('a1', 'assistant', [
          { type: 'text', text: 'I will delete it.' },
          { ...call, result: 'deleted 2 files' },
          { type: 'text', text: 'Done.' },
        ]),
      ),
    );
    await vi.waitFor(
      () => expect(look(thread.getState().messages[1]!)).toBe('I will delete it. ["deleted 2 files"] Done.'),
      waitLong,
    );
    stop();
  });

  it('a message deleted in tab A disappears from tab B without a reload; its children move up', async () => {
    const { tabA, tabB } = await twoTabs();
    await tabA.append(user('u1', null, 'one'));
    await tabA.append(assistant('a1', 'u1', 'two'));
    await tabA.append(user('u2', 'a1', 'three'));
    const thread = fakeThread(await tabB.load());
    const stop = tabB.observe(thread);
    expect(thread.getState().messages.map(look)).toEqual(['one', 'two', 'three']);

    await tabA.delete([assistant('a1', 'u1', 'two')]);
    await vi.waitFor(
      () => expect(thread.getState().messages.map((m) => m.id)).toEqual(['u1', 'u2']),
      waitLong,
    );
    // Tab B goes on from there: its next message hangs under the last one shown.
    await tabB.append(assistant('a2', 'u2', 'four'));
    expect((await tabA.load()).messages.map((m) => [m.message.id, m.parentId])).toEqual([
      ['u1', null],
      ['u2', 'u1'],
      ['a2', 'u2'],
    ]);
    stop();
  });

  it('the tab that updates or deletes does not import its own change back', async () => {
    const { tabA } = await twoTabs();
    await tabA.append(user('u1', null, 'one'));
    await tabA.append(assistant('a1', 'u1', 'two'));
    await tabA.append(user('u2', 'a1', 'three'));
    await tabA.append(assistant('a2', 'u2', 'four'));
    const thread = fakeThread(await tabA.load());
    const stop = tabA.observe(thread);
    const settle = async () => {
      for (let i = 0; i < 5; i += 1) {
        await tabA.idle();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    // The runtime shows an edit first, then hands it to the adapter.
    const edited = assistant('a1', 'u1', 'two, edited');
    thread.import({
      headId: 'a2',
      messages: thread.export().messages.map((m) => (m.message.id === 'a1' ? edited : m)),
    });
    const imports = thread.imports;
    await tabA.update(edited);
    await settle();
    // A delete: the runtime drops the message once the adapter resolved (it must still be there).
    for (const id of ['a2', 'u2']) {
      await tabA.delete([thread.export().messages.find((m) => m.message.id === id)!]);
      // …possibly a moment later (the adapter's own watch has seen the write by then).
      await new Promise((resolve) => setTimeout(resolve, 50));
      thread.remove(id);
      await settle();
    }
    expect(thread.imports).toBe(imports);
    expect(thread.getState().messages.map(look)).toEqual(['one', 'two, edited']);
    stop();
  });
});
