import { Chat } from '@ai-sdk/react';
import { SessionChatTransport, StoredChatSync } from '@ai-session-manager/ai-sdk';
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import type { UIMessage } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers';
import { scriptedModel, textOf, textStep } from './scriptedModel';

// StoredChatSync without React: a plain Chat in a "second tab" (another store handle on the
// same IndexedDB database) follows what the first tab writes, and writes only its own messages.

const echo = (messages: UIMessage[]) => textStep(`You said: ${textOf(messages[messages.length - 1])}`);

function tab(name: string, conversationId?: string) {
  const store = new DexieSessionStore({ name });
  const manager = new SessionManager({ store, ...(conversationId ? { sessionId: conversationId } : {}) });
  const transport = new SessionChatTransport({ manager, transport: scriptedModel(echo) });
  const chat = new Chat<UIMessage>({ id: manager.sessionId, transport });
  const sync = new StoredChatSync<UIMessage>({
    recorder: transport.recorder,
    chat: () => ({
      status: chat.status,
      messages: chat.messages,
      setMessages: (update) => {
        chat.messages = update(chat.messages);
      },
    }),
  });
  const stop = sync.start(manager.sessionId, store);
  return { manager, transport, chat, sync, stop };
}

describe('StoredChatSync', () => {
  it("keeps a plain Chat in step with another tab's writes", async () => {
    const name = uniqueDbName('chat-sync');
    const a = tab(name);
    await a.chat.sendMessage({ text: 'from A' });
    await a.transport.saved();
    const b = tab(name, a.manager.conversationId);
    await vi.waitFor(() => expect(b.chat.messages.map(textOf)).toEqual(['from A', 'You said: from A']));

    await b.chat.sendMessage({ text: 'from B' });
    await b.transport.saved();
    b.sync.flush();
    await vi.waitFor(() => expect(a.chat.messages.map(textOf)).toHaveLength(4));
    await vi.waitFor(() =>
      expect(a.chat.messages.map(textOf)).toEqual([
        'from A',
        'You said: from A',
        'from B',
        'You said: from B',
      ]),
    );
    expect(b.chat.messages).toEqual(a.chat.messages);
    expect((await a.manager.getEvents()).map((e) => e.message)).toEqual(a.chat.messages.map(textOf));
    a.stop();
    b.stop();
  });
});
