// TanStack AI chat persistence in Chromium (on-disk IndexedDB): @ai-session-manager/tanstack-ai's
// sessionPersistence against TanStack's own indexedDBPersistence, both driven ChatPersistor-style:
// setItem with the full message list on every change, every streamed delta included, in order.
// Driven by bench/tanstackPersistence.mjs.
import {
  DexieSessionStore,
  exportConversation,
  importConversation,
  MemorySessionStore,
  SessionManager,
  type SessionStore,
} from '@ai-session-manager/core';
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';
import type { StreamChunk } from '@tanstack/ai';
import {
  type ChatClientPersistence,
  type ChatPersistedState,
  indexedDBPersistence,
  stream,
  type UIMessage,
} from '@tanstack/ai-client';
import { median, p95 } from '../lib/stats';

const THREAD = 'bench-thread';
const DELTAS = 40;
const filler = 'the quick brown fox jumps over a lazy dog while a chat keeps growing in the browser ';
/** About 400 characters, as STACK.md's IndexedDB figures use. */
const text = (i: number) => `Message ${i}: ${filler.repeat(5)}`.slice(0, 400);

/** `n` prior messages recorded as sessionPersistence records them, imported in bulk into `store`. */
async function seedOurs(n: number, store: SessionStore): Promise<void> {
  const memory = new MemorySessionStore();
  const sm = new SessionManager({ store: memory, sessionId: THREAD, metadata: { tanstackThreadId: THREAD } });
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  for (let i = 0; i < n; i++) {
    const link = { tanstackMessageId: `seed-${i}`, tanstackCreatedAt: at };
    if (i % 2 === 0) await sm.userSays(text(i), { ...link, tanstackUnit: 'text' });
    else await sm.aiResponds(text(i), { ...link, tanstackUnit: 'text-0' });
  }
  await importConversation(await exportConversation(THREAD, { store: memory }), { store });
}

interface Subject {
  persistence: ChatClientPersistence;
  /** Tell the persistence the run ended (ours: through its wrapped connection; TanStack has no such signal). */
  endRun(): Promise<void>;
  /** Resolves once everything handed to the persistence is in IndexedDB. */
  durable(): Promise<unknown>;
  /** IndexedDB write transactions so far (ours: store writes; TanStack: whole-record puts). */
  writes(): number;
}

async function ours(n: number, dbName: string): Promise<Subject> {
  const base = new DexieSessionStore({ name: dbName });
  await base.destroy();
  const inner = new DexieSessionStore({ name: dbName });
  await seedOurs(n, inner);
  let writes = 0;
  const counted = ['appendEvent', 'updateEvent', 'updateSession', 'ensureSession', 'rollover'];
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (typeof key === 'string' && counted.includes(key)) {
        return (...args: unknown[]) => {
          writes += 1;
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
  const persistence = sessionPersistence({ store });
  // The run's end as ChatClient's connection reports it: a RUN_FINISHED through the wrapped connection.
  const connection = persistence.connection(
    stream(async function* (): AsyncGenerator<StreamChunk> {
      yield {
        type: 'RUN_FINISHED',
        runId: 'r',
        threadId: THREAD,
        finishReason: 'stop',
        timestamp: 0,
      } as StreamChunk;
    }),
  );
  return {
    persistence,
    async endRun() {
      for await (const _ of connection.connect([], {}, undefined, { threadId: THREAD, runId: 'r' })) {
        // drained
      }
    },
    durable: () => persistence.flush(THREAD),
    writes: () => writes,
  };
}

async function theirs(dbName: string, seed: UIMessage[]): Promise<Subject> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(dbName);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
  const adapter = indexedDBPersistence({ databaseName: dbName });
  await adapter.setItem(THREAD, { messages: seed });
  let writes = 0;
  let pending: Promise<unknown> = Promise.resolve();
  return {
    persistence: {
      getItem: (id) => adapter.getItem(id),
      setItem(id, state) {
        writes += 1;
        const result = adapter.setItem(id, state);
        pending = Promise.all([pending, result]);
        return result;
      },
      removeItem: (id) => adapter.removeItem(id),
    },
    endRun: async () => undefined,
    durable: () => pending,
    writes: () => writes,
  };
}

/**
 * The lists ChatClient hands setItem for one exchange, as it does (checked in
 * test/tanstackAi): the user message, the empty reply, one list per delta, and the end.
 */
function exchange(list: readonly UIMessage[], i: number): ChatPersistedState[] {
  const user: UIMessage = {
    id: `user-${i}-${Math.random()}`,
    role: 'user',
    parts: [{ type: 'text', content: `Question ${i}: ${filler}` }],
    createdAt: new Date(),
  };
  const replyId = `reply-${i}-${Math.random()}`;
  const createdAt = new Date();
  const reply = (content: string): UIMessage => ({
    id: replyId,
    role: 'assistant',
    parts: content ? [{ type: 'text', content }] : [],
    createdAt,
  });
  const states: ChatPersistedState[] = [
    { messages: [...list, user] },
    { messages: [...list, user, reply('')] },
  ];
  let content = '';
  for (let d = 0; d < DELTAS; d++) {
    content += `word${d} `;
    states.push({ messages: [...list, user, reply(content)] });
  }
  states.push({ messages: [...list, user, reply(content)] });
  return states;
}

/**
 * One streamed reply, ChatPersistor-style: each list handed to setItem in order, as ChatClient's
 * ordered queue does (the next call once the previous one settled), then the run's end, until
 * everything is stored.
 */
async function replyOnce(subject: Subject, list: UIMessage[], i: number) {
  const states = exchange(list, i);
  const before = subject.writes();
  const started = performance.now();
  for (const state of states) await subject.persistence.setItem(THREAD, state);
  await subject.endRun();
  await subject.durable();
  const ms = performance.now() - started;
  return { ms, writes: subject.writes() - before, list: states[states.length - 1]!.messages };
}

/** One appended message: setItem with the list plus a new user message, until stored. */
async function appendOnce(subject: Subject, list: UIMessage[], i: number) {
  const message: UIMessage = {
    id: `append-${i}-${Math.random()}`,
    role: 'user',
    parts: [{ type: 'text', content: text(i) }],
    createdAt: new Date(),
  };
  const messages = [...list, message];
  const before = subject.writes();
  const started = performance.now();
  await subject.persistence.setItem(THREAD, { messages });
  await subject.durable();
  return { ms: performance.now() - started, writes: subject.writes() - before, list: messages };
}

interface Run {
  ms: number;
  writes: number;
}

const figures = (runs: Run[]) => ({
  median: median(runs.map((r) => r.ms)),
  p95: p95(runs.map((r) => r.ms)),
  writes: median(runs.map((r) => r.writes)),
});

/** Median of per-pair ratios theirs / ours: each pair ran back to back. */
const pairs = (a: Run[], b: Run[]) => median(b.map((r, i) => r.ms / a[i]!.ms));

/**
 * At `n` prior messages: `replies` streamed replies and `appends` appends with each persistence,
 * alternating ours and theirs so drift hits both alike (one warm-up each, not counted).
 * Both hold the same messages throughout.
 */
async function compare(n: number, replies: number, appends: number) {
  const oursSubject = await ours(n, `bench-tanstack-ours-${n}`);
  // Both start from the same list: the seeded conversation as the chat reads it back.
  let oursList = ((await oursSubject.persistence.getItem(THREAD)) as ChatPersistedState).messages;
  const theirsSubject = await theirs(`bench-tanstack-theirs-${n}`, oursList);
  let theirsList = oursList;
  const step = async (run: typeof replyOnce, i: number, into: { ours: Run[]; theirs: Run[] } | null) => {
    const a = await run(oursSubject, oursList, i);
    const b = await run(theirsSubject, theirsList, i);
    oursList = a.list;
    theirsList = b.list;
    into?.ours.push(a);
    into?.theirs.push(b);
  };
  await step(replyOnce, -1, null);
  const reply = { ours: [] as Run[], theirs: [] as Run[] };
  for (let i = 0; i < replies; i++) await step(replyOnce, i, reply);
  const append = { ours: [] as Run[], theirs: [] as Run[] };
  for (let i = 0; i < appends; i++) await step(appendOnce, i, append);
  const stored = (
    (await sessionPersistence({ store: new DexieSessionStore({ name: `bench-tanstack-ours-${n}` }) }).getItem(
      THREAD,
    )) as ChatPersistedState
  ).messages.length;
  return {
    n,
    messages: { ours: oursList.length, oursStored: stored, theirs: theirsList.length },
    reply: {
      ours: figures(reply.ours),
      theirs: figures(reply.theirs),
      ratio: pairs(reply.ours, reply.theirs),
    },
    append: {
      ours: figures(append.ours),
      theirs: figures(append.theirs),
      ratio: pairs(append.ours, append.theirs),
    },
  };
}

(window as unknown as { tanstackBench: unknown }).tanstackBench = { compare, deltas: DELTAS };
