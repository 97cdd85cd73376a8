// useChat's regenerate and edit of a message in a closed (summarized) segment: core forks a new
// conversation ("branch in new chat"); the transport follows it, tells the app, and records the
// rest of the response and every later message there. The original conversation is untouched.
import { Chat } from '@ai-sdk/react';
import { loadChatMessages, SessionChatTransport } from '@ai-session-manager/ai-sdk';
import { MemorySessionStore, type SessionManager } from '@ai-session-manager/core';
import { SessionManager as Manager } from '@ai-session-manager/core';
import type { UIMessage } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { scriptedModel, textOf, textStep } from './scriptedModel';

async function summarizedChat() {
  const store = new MemorySessionStore();
  const manager = new Manager({
    store,
    defaultModel: 'gpt-4o-mini',
    infiniteContext: true,
    maxTurnsPerSegment: 2,
  });
  let n = 0;
  const model = scriptedModel((messages) =>
    textStep(`Answer ${++n} to ${textOf(messages[messages.length - 1])}`),
  );
  const forks: SessionManager[] = [];
  const transport = new SessionChatTransport({
    manager,
    transport: model,
    onConversationChange: (m) => forks.push(m),
  });
  const chat = new Chat<UIMessage>({ id: manager.conversationId, transport });
  for (const text of ['first', 'second', 'third']) {
    await chat.sendMessage({ text });
    await vi.waitFor(() => expect(chat.status).toBe('ready'));
    await transport.saved();
  }
  const segments = await store.getSegments(manager.conversationId);
  expect(segments.length).toBeGreaterThan(1);
  return { store, manager, transport, chat, forks, original: manager.conversationId };
}

describe('a regenerate or edit in a summarized segment follows the fork', () => {
  it('regenerate: the new reply and what follows go to the fork; the app is told; the original is untouched', async () => {
    const { store, transport, chat, forks, original } = await summarizedChat();
    const before = await loadChatMessages(original, { store });
    const firstReply = chat.messages[1]!;
    await chat.regenerate({ messageId: firstReply.id });
    await vi.waitFor(() => expect(chat.status).toBe('ready'));
    await transport.saved();
    expect(forks).toHaveLength(1);
    const fork = forks[0]!.conversationId;
    expect(fork).not.toBe(original);
    expect(transport.manager.conversationId).toBe(fork);
    // The fork holds the question and the new reply; the original conversation did not change.
    const forked = await loadChatMessages(fork, { store });
    expect(forked.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(forked.messages[0]!.id).toBe(chat.messages[0]!.id);
    expect(JSON.stringify(forked.messages[1]!.parts)).toContain('Answer 4 to first');
    expect((await loadChatMessages(original, { store })).messages).toEqual(before.messages);
    expect((await store.getSession(fork))!.metadata.forkedFrom).toMatchObject({ conversationId: original });

    // The next message is recorded in the fork too.
    await chat.sendMessage({ text: 'after the fork' });
    await vi.waitFor(() => expect(chat.status).toBe('ready'));
    await transport.saved();
    const after = await loadChatMessages(fork, { store });
    expect(after.messages.map((m) => textOf(m))).toEqual([
      'first',
      'Answer 4 to first',
      'after the fork',
      'Answer 5 to after the fork',
    ]);
    expect((await loadChatMessages(original, { store })).messages).toEqual(before.messages);
  });

  it('edit: the edited question and its answer go to the fork', async () => {
    const { store, transport, chat, forks, original } = await summarizedChat();
    const firstQuestion = chat.messages[0]!;
    await chat.sendMessage({ text: 'first, edited', messageId: firstQuestion.id });
    await vi.waitFor(() => expect(chat.status).toBe('ready'));
    await transport.saved();
    expect(forks).toHaveLength(1);
    const forked = await loadChatMessages(forks[0]!.conversationId, { store });
    expect(forked.messages.map((m) => textOf(m))).toEqual(['first, edited', 'Answer 4 to first, edited']);
    expect((await loadChatMessages(original, { store })).messages.map((m) => textOf(m))[0]).toBe('first');
  });
});
