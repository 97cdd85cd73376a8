// Bad input that used to be stored (and then broke export/import) or to throw untyped errors:
// each case is an InvalidInputError with a path, and nothing is written.
import {
  exportConversation,
  fromAnthropicMessages,
  fromOpenAIMessages,
  fromUIMessages,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  type SessionStore,
  toAnthropicMessages,
  toOpenAIMessages,
  toUIMessages,
  trackConversation,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

/** Resolves to the error `fn` rejects (or throws) with; fails the test when it succeeds. */
async function failure(fn: () => unknown): Promise<InvalidInputError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

async function nothingWritten(store: SessionStore, id: string): Promise<void> {
  expect(await store.getSession(id)).toBeUndefined();
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('metadata and options must be objects', () => {
  it.each([
    ['a string', 'str'],
    ['an array', [1]],
    ['a number', 7],
    ['null', null],
  ])('userSays with %s as metadata', async (_label, metadata) => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    const error = await failure(() => sm.userSays('x', metadata as never));
    expect(error.path).toBe('metadata');
    await nothingWritten(store, sm.sessionId);
  });

  it.each([
    ['an array', [1]],
    ['a string', 'meta'],
    ['null', null],
  ])('new SessionManager({ metadata: %s }) throws at once', async (_label, metadata) => {
    const error = await failure(
      () => new SessionManager({ store: new MemorySessionStore(), metadata: metadata as never }),
    );
    expect(error.path).toBe('metadata');
  });

  it('null or non-object options anywhere are InvalidInputError, not TypeError', async () => {
    const store = new MemorySessionStore();
    expect((await failure(() => new SessionManager(null as never))).path).toBe('options');
    const sm = new SessionManager({ store });
    expect((await failure(() => sm.aiResponds('x', null as never))).path).toBe('options');
    expect((await failure(() => sm.toolUsed('t', {}, 1, null as never))).path).toBe('options');
    expect((await failure(() => sm.getMessagesForLLM(null as never))).path).toBe('options');
    expect((await failure(() => sm.getStats(null as never))).path).toBe('options');
    expect((await failure(() => sm.getEvents(null as never))).path).toBe('options');
    expect((await failure(() => sm.startRun([1] as never))).path).toBe('metadata');
    await nothingWritten(store, sm.sessionId);
  });

  it('null options of export, import, the converters and the helpers', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    await sm.userSays('x');
    const events = await sm.getEvents();
    expect((await failure(() => exportConversation(sm.conversationId, null as never))).path).toBe('options');
    expect((await failure(() => importConversation({}, null as never))).path).toBe('options');
    expect((await failure(() => toOpenAIMessages(events, null as never))).path).toBe('options');
    expect((await failure(() => toAnthropicMessages(events, null as never))).path).toBe('options');
    expect((await failure(() => toUIMessages(events, null as never))).path).toBe('options');
    expect((await failure(() => toUIMessages(null as never))).path).toBe('events');
    expect((await failure(() => fromOpenAIMessages([], null as never))).path).toBe('options');
    expect((await failure(() => trackConversation('a', 'b', null as never))).path).toBe('options');
  });

  it('getMessagesForLLM({ model: 5 }) names model', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('hi');
    expect((await failure(() => sm.getMessagesForLLM({ model: 5 as never, maxTokens: 100 }))).path).toBe(
      'model',
    );
    expect((await failure(() => sm.getMessagesForLLM({ model: 5 as never }))).path).toBe('model');
  });

  it('the conversation export of everything accepted is accepted by import', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store, metadata: { title: 't' } });
    await sm.userSays('x', { tag: 'a' });
    await sm.aiResponds('y', { usage: { promptTokens: 1, completionTokens: 2 } });
    const doc = await exportConversation(sm.conversationId, { store });
    await importConversation(doc, { store: new MemorySessionStore() });
  });
});

describe('provider usage', () => {
  it.each([
    ['above MAX_SAFE_INTEGER', { totalTokens: 1e300 }, 'usage.totalTokens'],
    ['prompt above MAX_SAFE_INTEGER', { prompt_tokens: 2 ** 60 }, 'usage.promptTokens'],
    ['a string', 'abc', 'usage'],
    ['a number', 7, 'usage'],
    ['null', null, 'usage'],
    ['an array', [1], 'usage'],
    ['a non-number count', { promptTokens: '5' }, 'usage.promptTokens'],
  ])('%s is refused and nothing is written', async (_label, usage, path) => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    const error = await failure(() => sm.aiResponds('x', { usage: usage as never }));
    expect(error.path).toBe(path);
    await nothingWritten(store, sm.sessionId);
  });
});

describe('summaryTimeoutMs', () => {
  it('above 2^31 - 1 (setTimeout would fire at once) is refused', async () => {
    expect(
      (
        await failure(
          () => new SessionManager({ store: new MemorySessionStore(), summaryTimeoutMs: 2 ** 31 }),
        )
      ).path,
    ).toBe('summaryTimeoutMs');
    expect(
      () => new SessionManager({ store: new MemorySessionStore(), summaryTimeoutMs: 2 ** 31 - 1 }),
    ).not.toThrow();
  });
});

describe('values no JSON copy can take', () => {
  it('arguments nested 100,000 deep: InvalidInputError with a path, nothing written', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    const error = await failure(() => sm.toolUsed('deep', nested(100_000), 1));
    expect(error.path).toMatch(/^arguments(\.a)+$/);
    await nothingWritten(store, sm.sessionId);
  });

  it('an import nested 100,000 deep: InvalidInputError with a path', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    await sm.toolUsed('t', { a: 1 }, 1);
    const doc = structuredClone(await exportConversation(sm.conversationId, { store }));
    (doc.events[0]!.message as { arguments: unknown }).arguments = nested(100_000);
    const target = new MemorySessionStore();
    const error = await failure(() => importConversation(doc, { store: target }));
    expect(error.path).toMatch(/^events\[0\]\.message\.arguments/);
    await nothingWritten(target, sm.conversationId);
  });

  it('a getter that throws, in metadata, arguments and options', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    const bad = {
      get boom(): never {
        throw new Error('getter exploded');
      },
    };
    expect((await failure(() => sm.userSays('x', bad))).path).toBe('metadata.boom');
    expect((await failure(() => sm.toolUsed('t', { deep: bad }, 1))).path).toBe('arguments.deep.boom');
    expect((await failure(() => sm.aiResponds('x', bad as never))).path).toBe('options.boom');
    expect((await failure(() => new SessionManager(bad as never))).path).toBe('options.boom');
    await nothingWritten(store, sm.sessionId);
  });

  it('Proxies: a throwing trap or a revoked proxy', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect((await failure(() => sm.toolUsed('t', trap, 1))).path).toBe('arguments');
    expect((await failure(() => sm.toolUsed('t', { p: proxy }, 1))).path).toBe('arguments.p');
    expect((await failure(() => sm.userSays('x', proxy))).path).toBe('metadata');
    await nothingWritten(store, sm.sessionId);
  });
});

describe('hostile documents and transcripts', () => {
  const throwing = () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
      },
    );

  it('importConversation of a Proxy, a throwing getter, or JSON text nested 100,000 deep', async () => {
    const store = new MemorySessionStore();
    expect((await failure(() => importConversation(throwing(), { store }))).path).toBe('');
    const getter = {
      format: 'ai-session-manager',
      version: 1,
      get conversationId(): never {
        throw new Error('getter exploded');
      },
    };
    expect((await failure(() => importConversation(getter, { store }))).path).toBe('');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect((await failure(() => importConversation(deep, { store }))).path).toBe('');
    expect(await store.listConversations()).toEqual([]);
  });

  it('from…Messages of Proxies and throwing getters write nothing', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    const bad = [{ role: 'user', content: 'q' }, throwing()];
    expect((await failure(() => fromOpenAIMessages(bad as never, { manager: sm }))).path).toBe('messages');
    expect(
      (await failure(() => fromAnthropicMessages({ messages: bad } as never, { manager: sm }))).path,
    ).toBe('messages');
    expect((await failure(() => fromUIMessages(throwing() as never, { manager: sm }))).path).toBe('messages');
    expect(await store.listConversations()).toEqual([]);
  });
});

describe('run ids that are Object.prototype names', () => {
  it('getRun and getRunStats of toString / constructor / __proto__ are unknown runs', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('x');
    const run = await sm.startRun();
    await run.complete();
    for (const id of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(await sm.getRun(id)).toBeUndefined();
      expect((await failure(() => sm.getRunStats(id))).path).toBe('runId');
    }
    expect((await sm.getRuns()).map((r) => r.id)).toEqual([run.id]);
  });
});

describe.each(storeFactories)('updateSystemPrompt after another tab rolled over ($kind store)', (factory) => {
  it('writes the current head, and the other manager builds its next prompt with the new prompt', async () => {
    const store = factory.create();
    const options = { store, infiniteContext: true, maxTurnsPerSegment: 2, systemPrompt: 'old' };
    const a = new SessionManager(options);
    await a.userSays('one');
    const b = await SessionManager.open(a.conversationId, {
      store: factory.reopen(store),
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await b.aiResponds('two');
    await b.userSays('three'); // rolls over: a's head is stale now
    expect((await b.getSessionChain()).length).toBe(2);
    await a.updateSystemPrompt('new');
    const head = await store.getHead(a.conversationId);
    expect(head?.segmentIndex).toBe(1);
    expect(head?.systemPrompt).toBe('new');
    const reloaded = await SessionManager.open(a.conversationId, { store: factory.reopen(store) });
    expect(reloaded.systemPrompt).toBe('new');
    // b never called updateSystemPrompt: it reads the prompt from the head before building.
    const messages = await b.getMessagesForLLM();
    expect(messages[0]).toEqual({ role: 'system', content: 'new' });
    expect(b.systemPrompt).toBe('new');
  });
});

describe('prompt builder and tool processor options', () => {
  it('null or non-object options are an InvalidInputError naming options, not a TypeError', async () => {
    const { buildPrompt, SessionAwareToolProcessor } = await import('@ai-session-manager/core');
    const manager = new SessionManager({ store: new MemorySessionStore() });
    for (const bad of [null, undefined, 'minimal', [1]]) {
      const error = await failure(() => buildPrompt(manager, bad as never));
      expect(error.path).toBe('options');
      const toolError = await failure(() => new SessionAwareToolProcessor(bad as never));
      expect(toolError.path).toBe('options');
    }
    await nothingWritten(manager.store, manager.sessionId);
  });
});
