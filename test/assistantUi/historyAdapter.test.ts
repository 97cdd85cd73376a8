import { createThreadHistoryAdapter, SessionThreadHistoryAdapter } from '@ai-session-manager/assistant-ui';
import {
  DexieSessionStore,
  EventType,
  exportConversation,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  toOpenAIMessages,
} from '@ai-session-manager/core';
import type { ThreadHistoryAdapter } from '@assistant-ui/react';
import { describe, expect, it } from 'vitest';
import { uniqueDbName } from '../helpers';
import { assistant, item, message, user } from './messages';

const textOf = (m: { content: readonly { type: string; text?: string }[] }) =>
  m.content.map((p) => (p.type === 'text' ? p.text : `[${p.type}]`)).join('');

/** The loaded tree as `id <- parent: text` lines, and the head. */
async function tree(adapter: SessionThreadHistoryAdapter) {
  const repo = await adapter.load();
  return {
    headId: repo.headId,
    lines: repo.messages.map((m) => `${m.message.id} <- ${m.parentId}: ${textOf(m.message)}`),
  };
}

describe('createThreadHistoryAdapter', () => {
  it('is a ThreadHistoryAdapter of the installed assistant-ui', () => {
    const adapter = createThreadHistoryAdapter({
      store: new MemorySessionStore(),
    }) satisfies ThreadHistoryAdapter;
    expect(adapter).toBeInstanceOf(SessionThreadHistoryAdapter);
    expect(adapter.scopeId).toBe(`ai-session-manager:${adapter.conversationId}`);
  });

  it('records messages in the log, with tokens and tool calls, and loads them back with the same ids', async () => {
    const store = new DexieSessionStore({ name: uniqueDbName('aui-history') });
    const adapter = createThreadHistoryAdapter({ store, model: 'gpt-4o-mini' });
    await adapter.append(user('u1', null, 'What is 6 times 7?'));
    const reply = message('a1', 'assistant', [
      { type: 'text', text: 'Let me compute that.' },
      {
        type: 'tool-call',
        toolCallId: 'call-1',
        toolName: 'multiply',
        args: { a: 6, b: 7 },
        result: { value: 42 },
      },
      { type: 'reasoning', text: 'simple arithmetic' },
      { type: 'text', text: 'It is 42.' },
    ]);
    await adapter.append(item('u1', reply));

    const sm = await SessionManager.open(adapter.conversationId!, { store });
    const events = await sm.getEvents();
    expect(events.map((e) => [e.source, e.type])).toEqual([
      ['user', EventType.MESSAGE],
      ['llm', EventType.MESSAGE],
      ['system', EventType.TOOL_CALL],
    ]);
    const [u, a, tool] = events;
    expect(u!.message).toBe('What is 6 times 7?');
    expect(a!.message).toBe('Let me compute that.\n\nIt is 42.');
    expect(a!.tokenUsage?.completionTokens).toBeGreaterThan(0);
    expect(a!.tokenUsage?.model).toBe('gpt-4o-mini');
    expect(tool!.parentEventId).toBe(a!.id);
    expect(tool!.message).toMatchObject({
      tool: 'multiply',
      arguments: { a: 6, b: 7 },
      result: { value: 42 },
    });
    expect([u!.metadata.auiMessageId, a!.metadata.auiMessageId]).toEqual(['u1', 'a1']);
    // Core's converters read it as any other conversation: the text, the call and its result.
    expect(toOpenAIMessages(events).map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect((await sm.getStats()).toolCalls).toBe(1);

    // A new adapter (a reload) gets the same ids, tree and parts back.
    const again = createThreadHistoryAdapter({ store, conversationId: adapter.conversationId! });
    const repo = await again.load();
    expect(repo.headId).toBe('a1');
    expect(repo.messages.map((m) => [m.message.id, m.parentId])).toEqual([
      ['u1', null],
      ['a1', 'u1'],
    ]);
    const loaded = repo.messages[1]!.message;
    expect(loaded.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Let me compute that.' }),
      expect.objectContaining({
        type: 'tool-call',
        toolCallId: 'call-1',
        toolName: 'multiply',
        args: { a: 6, b: 7 },
        result: { value: 42 },
      }),
      expect.objectContaining({ type: 'reasoning', text: 'simple arithmetic' }),
      expect.objectContaining({ type: 'text', text: 'It is 42.' }),
    ]);
    expect(loaded.status).toEqual({ type: 'complete', reason: 'unknown' });
  });

  it('records an edit and a regenerate as versions in core branches; load returns the whole tree and the selected head', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'Hi'));
    await adapter.append(assistant('a1', 'u1', 'Hello!'));
    // Reload: a second reply under the same user message.
    await adapter.append(assistant('a2', 'u1', 'Hey there!'));
    // Edit of the first message: a sibling at the root, then its reply.
    await adapter.append(user('u2', null, 'Good morning'));
    await adapter.append(assistant('a3', 'u2', 'Morning!'));

    expect(await tree(adapter)).toEqual({
      headId: 'a3',
      lines: [
        'u1 <- null: Hi',
        'a1 <- u1: Hello!',
        'a2 <- u1: Hey there!',
        'u2 <- null: Good morning',
        'a3 <- u2: Morning!',
      ],
    });
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    const events = await sm.getEvents();
    const byAui = new Map(events.map((e) => [e.metadata.auiMessageId, e]));
    // Core's versions: a2 is a regenerate of a1, u2 an edit of u1.
    expect((await sm.getAlternatives(byAui.get('a2')!.id)).versions.map((t) => t.content)).toEqual([
      'Hello!',
      'Hey there!',
    ]);
    expect((await sm.getAlternatives(byAui.get('u2')!.id)).versions.map((t) => t.content)).toEqual([
      'Hi',
      'Good morning',
    ]);
    // Core's own reads follow the same active path.
    expect((await sm.getConversation()).map((t) => t.content)).toEqual(['Good morning', 'Morning!']);

    // Selecting the old branch in core: load's head follows (and the tree is unchanged).
    await sm.selectAlternative(byAui.get('a1')!.id);
    const selected = await tree(adapter);
    expect(selected.headId).toBe('a1');
    // A message appended under the selected branch continues it, in core as in assistant-ui.
    await adapter.append(user('u3', 'a1', 'Tell me more'));
    await adapter.append(assistant('a4', 'u3', 'Sure.'));
    expect(await tree(adapter)).toMatchObject({ headId: 'a4' });
    expect((await adapter.load()).messages.find((m) => m.message.id === 'u3')?.parentId).toBe('a1');
    expect((await sm.getConversation()).map((t) => t.content)).toEqual([
      'Hi',
      'Hello!',
      'Tell me more',
      'Sure.',
    ]);
  });

  it('continues a branch that is not the newest when the parent is named', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'one'));
    await adapter.append(assistant('a1', 'u1', 'reply one'));
    await adapter.append(assistant('a2', 'u1', 'reply two'));
    // The UI switched back to a1 (not persisted) and the user writes under it.
    await adapter.append(user('u2', 'a1', 'after one'));
    const repo = await adapter.load();
    expect(repo.messages.find((m) => m.message.id === 'u2')?.parentId).toBe('a1');
    expect(repo.headId).toBe('u2');
  });

  it('update rewrites a stored message in place (a run finished after a tool approval), and upserts', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'Delete the file?'));
    const paused = message(
      'a1',
      'assistant',
      [
        { type: 'text', text: 'I will delete it.' },
        { type: 'tool-call', toolCallId: 'c1', toolName: 'rm', args: { path: '/tmp/x' } },
      ],
      { status: { type: 'requires-action', reason: 'tool-calls' } },
    );
    await adapter.append(item('u1', paused));
    let loaded = (await adapter.load()).messages[1]!.message;
    expect(loaded.status).toEqual({ type: 'requires-action', reason: 'tool-calls' });
    expect(loaded.content[1]).not.toHaveProperty('result');

    const done = message('a1', 'assistant', [
      { type: 'text', text: 'I will delete it.' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'rm', args: { path: '/tmp/x' }, result: 'deleted' },
      { type: 'text', text: 'Done.' },
    ]);
    await adapter.update(item('u1', done));
    loaded = (await adapter.load()).messages[1]!.message;
    expect(loaded.status).toEqual({ type: 'complete', reason: 'unknown' });
    expect(
      loaded.content.map((p) => (p.type === 'tool-call' ? p.result : p.type === 'text' ? p.text : p.type)),
    ).toEqual(['I will delete it.', 'deleted', 'Done.']);
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    const events = await sm.getEvents();
    expect(events).toHaveLength(3); // rewritten, not appended again
    expect(events[2]!.message).toMatchObject({ result: 'deleted' });

    // An update for a message never stored is an append.
    await adapter.update(user('u2', 'a1', 'thanks'));
    expect((await adapter.load()).headId).toBe('u2');
  });

  it('delete hides a message (its children move up) and succeeds for a missing one', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'one'));
    await adapter.append(assistant('a1', 'u1', 'two'));
    await adapter.append(user('u2', 'a1', 'three'));
    await adapter.delete([assistant('a1', 'u1', 'two')]);
    await adapter.delete([assistant('a1', 'u1', 'two'), assistant('nope', null, 'x')]);
    expect(await tree(adapter)).toEqual({ headId: 'u2', lines: ['u1 <- null: one', 'u2 <- u1: three'] });
    // The deleted reply stays in core's log and totals (it was paid for): stats and a recount of
    // the events agree, so the conversation exports and imports.
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    expect((await sm.getStats()).aiMessages).toBe(1);
    const copy = new MemorySessionStore();
    await importConversation(await exportConversation(sm.conversationId, { store }), { store: copy });
    const imported = createThreadHistoryAdapter({ store: copy, conversationId: sm.conversationId });
    expect(await tree(imported)).toEqual({ headId: 'u2', lines: ['u1 <- null: one', 'u2 <- u1: three'] });
  });

  it('a reply left streaming (its tab closed) loads with its text so far, and the thread goes on under it', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'Tell me a story'));
    // What observe does while a reply streams, stopped halfway (the tab closed).
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    const reply = await sm.beginResponse({ metadata: { auiMessageId: 'a1', auiParentId: 'u1' } });
    reply.append('Once upon a time');
    await reply.flush();

    const reloaded = createThreadHistoryAdapter({ store, conversationId: adapter.conversationId! });
    const repo = await reloaded.load();
    const loaded = repo.messages[1]!.message;
    expect([loaded.id, repo.messages[1]!.parentId, textOf(loaded)]).toEqual(['a1', 'u1', 'Once upon a time']);
    expect(loaded.status).toMatchObject({ type: 'incomplete', reason: 'other' });
    expect(repo.headId).toBe('a1');
    await reloaded.append(user('u2', 'a1', 'Go on'));
    expect((await reloaded.load()).messages.map((m) => [m.message.id, m.parentId])).toEqual([
      ['u1', null],
      ['a1', 'u1'],
      ['u2', 'a1'],
    ]);
  });

  it('a thread spans segments (infiniteContext): load reads every segment; a reload of a summarized reply is kept in the head', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({
      store,
      session: { infiniteContext: true, maxTurnsPerSegment: 2 },
    });
    await adapter.append(user('u1', null, 'first question'));
    await adapter.append(assistant('a1', 'u1', 'first answer'));
    await adapter.append(user('u2', 'a1', 'second question'));
    await adapter.append(assistant('a2', 'u2', 'second answer'));
    const sm = await SessionManager.open(adapter.conversationId!, { store });
    expect((await sm.getSessionChain()).length).toBe(2);
    expect(await tree(adapter)).toEqual({
      headId: 'a2',
      lines: [
        'u1 <- null: first question',
        'a1 <- u1: first answer',
        'u2 <- a1: second question',
        'a2 <- u2: second answer',
      ],
    });
    // A reload of the summarized reply: stored in the head segment, still a version of a1 under u1.
    await adapter.append(assistant('a1b', 'u1', 'another first answer'));
    const repo = await adapter.load();
    expect(repo.messages.find((m) => m.message.id === 'a1b')?.parentId).toBe('u1');
    expect(repo.headId).toBe('a1b');
    const events = await sm.getEvents({ includeAllSegments: true });
    const a1b = events.find((e) => e.metadata.auiMessageId === 'a1b')!;
    const a1 = events.find((e) => e.metadata.auiMessageId === 'a1')!;
    expect(a1b.sessionId).not.toBe(a1.sessionId);
    expect(a1b.branch?.versionOf).toBe(a1.id);
    expect((await sm.getAlternatives(a1b.id)).versions.map((t) => t.content)).toEqual([
      'first answer',
      'another first answer',
    ]);
  });

  it('two adapters on one conversation (two tabs) see each other; a write reads the whole thread only after another writer', async () => {
    const shared = new MemorySessionStore();
    let wholeReads = 0;
    // The same store, counting reads of a whole segment's events (a write's placement reads only the head row).
    const counted = new Proxy(shared, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== 'getEvents') return typeof value === 'function' ? value.bind(target) : value;
        return (sessionId: string, range?: { limit?: number }) => {
          if (range?.limit === undefined) wholeReads += 1;
          return target.getEvents(sessionId, range);
        };
      },
    });
    const id = crypto.randomUUID();
    const tabA = createThreadHistoryAdapter({ store: counted, conversationId: id });
    const tabB = createThreadHistoryAdapter({ store: shared, conversationId: id });
    await tabA.append(user('u1', null, 'one'));
    await tabA.append(assistant('a1', 'u1', 'two'));
    await tabA.append(user('u2', 'a1', 'three'));
    expect(wholeReads).toBe(1); // the first write only
    await tabB.append(assistant('a2', 'u2', 'four (from B)'));
    await tabA.append(user('u3', 'a2', 'five'));
    expect(wholeReads).toBe(2); // the head row moved under A: read again, and a2 was found
    await tabB.append(assistant('a3', 'u3', 'six (from B)'));
    expect(await tree(tabA)).toEqual({
      headId: 'a3',
      lines: [
        'u1 <- null: one',
        'a1 <- u1: two',
        'u2 <- a1: three',
        'a2 <- u2: four (from B)',
        'u3 <- a2: five',
        'a3 <- u3: six (from B)',
      ],
    });
  });

  it('loads a conversation recorded by core directly (event ids, one branch)', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    await sm.userSays('hello');
    await sm.aiResponds('hi');
    const repo = await createThreadHistoryAdapter({ store, conversationId: sm.conversationId }).load();
    const events = await sm.getEvents();
    expect(repo.messages.map((m) => [m.message.id, m.parentId, m.message.role])).toEqual([
      [events[0]!.id, null, 'user'],
      [events[1]!.id, events[0]!.id, 'assistant'],
    ]);
    expect(repo.headId).toBe(events[1]!.id);
  });

  it('bad input gets a clear error and writes nothing', async () => {
    const store = new MemorySessionStore();
    const adapter = createThreadHistoryAdapter({ store });
    await adapter.append(user('u1', null, 'ok'));
    const before = await tree(adapter);
    const cases: [unknown, RegExp][] = [
      [null, /ExportedMessageRepositoryItem/],
      [{ parentId: 'u1', message: { ...message('x', 'user', 'hi'), id: '' } }, /message\.id/],
      [
        { parentId: 'u1', message: { ...message('s', 'user', 'hi'), role: 'system' } },
        /role must be 'user' or 'assistant'/,
      ],
      [
        item(
          'u1',
          message('a8', 'assistant', [
            { type: 'tool-call', toolCallId: 'c', toolName: 't', args: {}, result: { when: 10n } },
          ]),
        ),
        /content\[0\]\.result\.when is a bigint/,
      ],
      [
        item(
          'u1',
          message('a7', 'assistant', [{ type: 'tool-call', toolCallId: 'c', toolName: '', args: {} }]),
        ),
        /toolName must be a non-empty string/,
      ],
    ];
    for (const [bad, pattern] of cases) {
      const error = await adapter.append(bad as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(String((error as Error).message)).toMatch(pattern);
    }
    expect(await tree(adapter)).toEqual(before);
    expect(() => createThreadHistoryAdapter({ conversationId: '' })).toThrow(InvalidInputError);
  });
});
