// Schema migrations. A database written by each schema version is built WITHOUT our classes
// (raw IndexedDB: the object stores, indexes and rows that version's code wrote), closed, then
// opened with today's DexieSessionStore and SessionManager: every row must be intact, readable
// through the API, and writable (recording continues, a rollover works, export validates).
//
// HOW TO ADD A SCHEMA VERSION: when sessionDatabase.ts gains `.version(n)`, add `fixtures[n]`
// below: a builder that creates the database exactly as version n's code left it. The test
// "has a fixture for every schema version" fails until you do. Keep the older fixtures: every
// version must still upgrade to the current one. See RELIABILITY.md, "Migrations".
import {
  ConversationDeletedError,
  DexieSessionStore,
  exportConversation,
  importConversation,
  MemorySessionStore,
  SCHEMA_VERSION,
  SessionManager,
} from '@ai-session-manager/core';
import { describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers';
import { expectNoStrayRows, expectWellFormedChain, figures, reportFigures, withKinds } from './support';

reportFigures('migrations');

/** What a fixture wrote, for the checks after opening it with today's code. */
interface Written {
  conversationId: string;
  segmentIds: string[];
  /** User and assistant messages, in order. */
  messages: string[];
  events: number;
  totalTokens: number;
  toolCalls: number;
  systemPrompt: string;
  /** The latest summary, as the model must be shown it. */
  summary: string;
  /** Totals of the two segments as written (without contextTokens). */
  rootTotals: Record<string, number>;
  headTotals: Record<string, number>;
  /** The conversation's last update. */
  updatedAt: string;
}

/** Dexie keeps IndexedDB's version at 10 × its own version number. */
const nativeVersion = (dexieVersion: number) => dexieVersion * 10;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Open `name` at `version`, let `upgrade` create the schema, then `fill` write rows in one transaction. */
async function rawDatabase(
  name: string,
  version: number,
  upgrade: (db: IDBDatabase) => void,
  fill: (tx: IDBTransaction) => void,
): Promise<void> {
  const open = indexedDB.open(name, version);
  open.onupgradeneeded = () => upgrade(open.result);
  const db = await request(open);
  const tx = db.transaction(Array.from(db.objectStoreNames), 'readwrite');
  fill(tx);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  db.close();
}

const usage = (promptTokens: number, completionTokens: number, model = 'gpt-4o-mini') => ({
  promptTokens,
  completionTokens,
  totalTokens: promptTokens + completionTokens,
  model,
  estimatedCostUsd: (promptTokens * 0.15 + completionTokens * 0.6) / 1e6,
  source: 'counted',
});

type Row = Record<string, unknown> & { tokenUsage?: ReturnType<typeof usage> };

/** Running totals as version 1 kept them on each segment row (written out here, not computed by our code). */
function totals(events: Row[]) {
  const t = {
    events: events.length,
    messages: 0,
    userMessages: 0,
    aiMessages: 0,
    toolCalls: 0,
    summaries: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    estimatedCostUsd: 0,
  };
  for (const e of events) {
    // A discarded reply is stored (an event) but never counted as a message.
    const discarded = ((e.reply ?? e.metadata) as { status?: unknown } | undefined)?.status === 'discarded';
    if (e.type === 'message' && !discarded) {
      t.messages++;
      if (e.source === 'user') t.userMessages++;
      else t.aiMessages++;
    }
    if (e.type === 'tool_call') t.toolCalls++;
    if (e.type === 'summary') t.summaries++;
    if (e.tokenUsage) {
      t.promptTokens += e.tokenUsage.promptTokens;
      t.completionTokens += e.tokenUsage.completionTokens;
      t.totalTokens += e.tokenUsage.totalTokens;
      t.estimatedCostUsd += e.tokenUsage.estimatedCostUsd;
    }
  }
  return t;
}

/** fixtures[v]: write a database as schema version v's code left it; returns what it holds. */
const fixtures: Record<number, (name: string) => Promise<Written>> = {
  1: (name) => writeFixture(name, 1),
  2: (name) => writeFixture(name, 2),
  3: (name) => writeFixture(name, 3),
  4: (name) => writeFixture(name, 4),
  5: (name) => writeFixture(name, 5),
};

// A real 1×1 PNG: v5 stores it as a Blob keyed by its SHA-256, the row referencing it.
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
const pngBytes = () => Uint8Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));
const pngHash = async () =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', pngBytes())), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

/** A conversation id deleted before the v3 fixture was written (its tombstone is in the fixture). */
const DELETED_ID = 'conv-deleted-before';

/**
 * The same conversation as each version's code stored it. v1: totals per segment only. v2: also
 * contextTokens (on events and totals), the head's priorTotals and headAt (indexed with rootId).
 * v3: also the tombstones table. v4: a reply's state and branch links in `reply` and `branch`
 * (before, the library kept them in `metadata`), beside a caller's own `status` key. v5: also
 * the attachments tables; the user's "In May" carries an image, its bytes a Blob in `attachments`.
 */
async function writeFixture(name: string, version: number): Promise<Written> {
  {
    const root = `conv-v${version}-root`;
    const second = `conv-v${version}-seg1`;
    const systemPrompt = 'You are a travel agent.';
    const summary = 'Latest part:\n- User: Plan a trip to Rome\n- Assistant: Which dates?';
    const at = (minute: number) => `2025-01-02T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const event = (sessionId: string, seq: number, minute: number, fields: Row): Row => ({
      id: `${sessionId}-e${seq}`,
      sessionId,
      seq,
      timestamp: at(minute),
      metadata: {},
      ...fields,
    });
    const rootEvents: Row[] = [
      event(root, 0, 1, {
        source: 'user',
        type: 'message',
        message: 'Plan a trip to Rome',
        tokenUsage: usage(5, 0),
      }),
      event(root, 1, 2, {
        source: 'llm',
        type: 'message',
        message: 'Which dates?',
        metadata: { model: 'gpt-4o-mini', provider: 'openai' },
        tokenUsage: usage(0, 3),
      }),
      event(root, 2, 3, {
        source: 'system',
        type: 'summary',
        message: summary,
        metadata: { summarizer: 'extractive', segmentIndex: 0 },
        tokenUsage: usage(19, 0),
      }),
    ];
    const secondEvents: Row[] = [
      event(second, 0, 4, {
        source: 'user',
        type: 'message',
        message: 'In May',
        tokenUsage: usage(2, 0),
        taskId: 'run-1',
      }),
      event(second, 1, 5, {
        source: 'system',
        type: 'tool_call',
        message: {
          tool: 'flights',
          arguments: { month: 5 },
          result: { price: 120.5 },
          error: null,
          toolCallId: 'call_1',
        },
        metadata: {},
        taskId: 'run-1',
      }),
      event(second, 2, 6, {
        source: 'llm',
        type: 'message',
        message: 'Flights from 120.50 EUR.',
        metadata: { model: 'gpt-4o-mini' },
        tokenUsage: usage(40, 9),
        taskId: 'run-1',
      }),
      // A regenerated version of that reply, streamed and finished; then a reply discarded mid-stream.
      event(second, 3, 7, {
        source: 'llm',
        type: 'message',
        message: 'Flights from 99 EUR.',
        ...bookkeeping(
          version,
          { model: 'gpt-4o-mini' },
          { status: 'complete', finishedAt: at(7) },
          { versionOf: `${second}-e2`, parent: `${second}-e0` },
        ),
        tokenUsage: usage(40, 7),
      }),
      event(second, 4, 8, {
        source: 'llm',
        type: 'message',
        message: 'Flights fr',
        ...bookkeeping(version, { model: 'gpt-4o-mini' }, { status: 'discarded' }),
      }),
    ];
    // The caller's own `status` key: never the library's, before v4 or after.
    secondEvents[0]!.metadata = { status: 'pinned' };
    const hash = await pngHash();
    if (version >= 5)
      secondEvents[0]!.parts = [
        { type: 'text', text: 'In May' },
        { type: 'file', mediaType: 'image/png', url: `attachment:sha256-${hash}` },
      ];
    if (version >= 2) {
      for (const e of [...rootEvents, ...secondEvents]) {
        if (e.tokenUsage)
          e.tokenUsage = { ...e.tokenUsage, contextTokens: e.tokenUsage.totalTokens } as Row['tokenUsage'];
      }
    }
    const withContext = (t: ReturnType<typeof totals>) =>
      version >= 2 ? { ...t, contextTokens: t.totalTokens } : t;
    const segment = (id: string, index: number, events: Row[], created: number, updated: number) => ({
      id,
      parentId: index === 0 ? null : root,
      rootId: root,
      segmentIndex: index,
      systemPrompt,
      metadata: index === 0 ? { title: 'Rome' } : {},
      state:
        index === 0
          ? {
              runs: {
                'run-1': {
                  id: 'run-1',
                  status: 'completed',
                  metadata: { goal: 'flights' },
                  createdAt: at(4),
                  startedAt: at(4),
                  endedAt: at(6),
                  reason: null,
                },
              },
            }
          : {},
      createdAt: at(created),
      updatedAt: at(updated),
      totals: withContext(totals(events)),
      ...(version >= 2 && index === 1
        ? { priorTotals: withContext(totals(rootEvents)), headAt: at(updated) }
        : {}),
    });
    await rawDatabase(
      name,
      nativeVersion(version),
      (db) => {
        const sessions = db.createObjectStore('sessions', { keyPath: 'id' });
        sessions.createIndex('parentId', 'parentId');
        sessions.createIndex('rootId', 'rootId');
        sessions.createIndex('updatedAt', 'updatedAt');
        sessions.createIndex('[rootId+segmentIndex]', ['rootId', 'segmentIndex']);
        const events = db.createObjectStore('events', { keyPath: 'id' });
        events.createIndex('[sessionId+seq]', ['sessionId', 'seq'], { unique: true });
        events.createIndex('taskId', 'taskId');
        if (version >= 2) sessions.createIndex('[headAt+rootId]', ['headAt', 'rootId']);
        if (version >= 3) db.createObjectStore('tombstones', { keyPath: 'id' });
        if (version >= 5) {
          db.createObjectStore('attachments', { keyPath: 'hash' });
          db.createObjectStore('attachmentRoots', { keyPath: ['hash', 'rootId'] }).createIndex(
            'rootId',
            'rootId',
          );
        }
      },
      (tx) => {
        if (version >= 3) tx.objectStore('tombstones').add({ id: DELETED_ID, deletedAt: at(0) });
        if (version >= 5) {
          const blob = new Blob([pngBytes()], { type: 'image/png' });
          tx.objectStore('attachments').add({
            hash,
            blob,
            mediaType: 'image/png',
            size: 70,
            createdAt: at(4),
          });
          tx.objectStore('attachmentRoots').add({ hash, rootId: root });
        }
        tx.objectStore('sessions').add(segment(root, 0, rootEvents, 0, 3));
        tx.objectStore('sessions').add(segment(second, 1, secondEvents, 3, 8));
        for (const e of [...rootEvents, ...secondEvents]) tx.objectStore('events').add(e);
      },
    );
    const all = [...rootEvents, ...secondEvents];
    return {
      conversationId: root,
      segmentIds: [root, second],
      messages: ['Plan a trip to Rome', 'Which dates?', 'In May', 'Flights from 99 EUR.'],
      events: all.length,
      totalTokens: all.reduce((n, e) => n + (e.tokenUsage?.totalTokens ?? 0), 0),
      toolCalls: 1,
      systemPrompt,
      summary,
      rootTotals: totals(rootEvents),
      headTotals: totals(secondEvents),
      updatedAt: at(8),
    };
  }
}

/** A reply's state and branch link as `version`'s code stored them: in metadata before v4. */
function bookkeeping(
  version: number,
  metadata: Record<string, unknown>,
  reply: Record<string, unknown>,
  branch?: { versionOf: string; parent: string },
): Row {
  if (version >= 4) return { metadata, reply, ...(branch ? { branch } : {}) };
  const legacy = branch ? { versionOf: branch.versionOf, branchParent: branch.parent } : {};
  return { metadata: { ...metadata, ...reply, ...legacy } };
}

describe('migrations: a database written by each schema version opens intact and writable', () => {
  it('has a fixture for every schema version', () => {
    expect(Object.keys(fixtures).map(Number)).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    );
  });

  it.each(Object.keys(fixtures).map(Number))('schema version %i', async (version) => {
    const name = uniqueDbName(`migration-v${version}`);
    const written = await fixtures[version]!(name);
    const warn = vi.spyOn(console, 'warn');
    const store = new DexieSessionStore({ name });
    try {
      // Everything is there, through the store and through the manager.
      const chain = await expectWellFormedChain(store, written.conversationId);
      expect(chain.segments.map((s) => s.id)).toEqual(written.segmentIds);
      expect(chain.events.flat()).toHaveLength(written.events);
      for (const id of written.segmentIds) {
        const sm = await SessionManager.open(id, { store, infiniteContext: true, maxTurnsPerSegment: 3 });
        expect(sm.sessionId).toBe(written.segmentIds.at(-1));
        expect(sm.systemPrompt).toBe(written.systemPrompt);
        expect((await sm.getConversation()).map((t) => t.content)).toEqual(written.messages);
        const stats = await sm.getStats();
        expect(stats).toMatchObject({
          sessionSegments: written.segmentIds.length,
          totalEvents: written.events,
          totalTokens: written.totalTokens,
          toolCalls: written.toolCalls,
          // Token kinds came later: rows without them read as 0 (no event then carried any).
          cachedPromptTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        });
        const forModel = await sm.getMessagesForLLM();
        expect(forModel[0]).toEqual({ role: 'system', content: written.systemPrompt });
        expect(forModel[1]!.content).toContain(written.summary);
      }
      // Schema v4: the library's bookkeeping has left the caller's metadata; the caller's key stayed.
      const [inMay, , , regenerated, discarded] = chain.events.at(-1)!;
      // Schema v5: a file's bytes come back from their Blob as the data URL they were given as.
      if (version >= 5)
        expect(inMay!.parts?.[1]).toEqual({ type: 'file', mediaType: 'image/png', url: PNG_URL });
      expect(inMay).toMatchObject({ metadata: { status: 'pinned' } });
      expect(inMay!.reply).toBeUndefined();
      expect(regenerated).toMatchObject({
        metadata: { model: 'gpt-4o-mini' },
        reply: { status: 'complete', finishedAt: '2025-01-02T10:07:00.000Z' },
        branch: { versionOf: `${written.segmentIds[1]}-e2`, parent: `${written.segmentIds[1]}-e0` },
      });
      expect(Object.keys(regenerated!.metadata)).toEqual(['model']);
      expect(discarded).toMatchObject({ metadata: { model: 'gpt-4o-mini' }, reply: { status: 'discarded' } });
      const branched = await SessionManager.open(written.conversationId, { store, infiniteContext: true });
      const versions = await branched.getAlternatives(regenerated!.id);
      expect(versions.versions.map((t) => t.content)).toEqual([
        'Flights from 120.50 EUR.',
        'Flights from 99 EUR.',
      ]);
      expect(versions.activeIndex).toBe(1);

      // Schema v2: conversation totals on the head, the head alone in the list index.
      // Token kinds came later: rows may lack them (read as 0), sums (priorTotals, the list) have them.
      const withContext = (t: Record<string, number>) => ({ ...withKinds(t), contextTokens: t.totalTokens! });
      const [rootRow, headRow] = chain.segments;
      expect(withKinds(rootRow!.totals)).toEqual(withContext(written.rootTotals));
      expect(rootRow!.priorTotals).toBeUndefined();
      expect(rootRow!.headAt).toBeUndefined();
      expect(withKinds(headRow!.priorTotals)).toEqual(withContext(written.rootTotals));
      expect(headRow!.headAt).toBe(written.updatedAt);
      const listed = await store.listConversations();
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        conversationId: written.conversationId,
        headSessionId: written.segmentIds.at(-1),
        segments: written.segmentIds.length,
        title: 'Rome',
        updatedAt: written.updatedAt,
      });
      const summed = Object.fromEntries(
        Object.keys(written.rootTotals).map((k) => [k, written.rootTotals[k]! + written.headTotals[k]!]),
      );
      expect(withKinds(listed[0]!.totals)).toEqual(withContext(summed));
      expect(await store.listConversations({ limit: 1, before: listed[0]! })).toEqual([]);
      const sm = await SessionManager.open(written.conversationId, {
        store,
        infiniteContext: true,
        maxTurnsPerSegment: 3,
      });
      expect((await sm.getRuns()).map((r) => [r.id, r.status])).toEqual([['run-1', 'completed']]);
      expect((await sm.getRunStats('run-1')).totals.events).toBe(3);

      // The export passes today's import validation (ids, chain, seq, totals).
      const doc = await exportConversation(written.conversationId, { store });
      await importConversation(doc, { store: new MemorySessionStore() });

      // Writable: recording continues at the next seq, a rollover works, the old rows are untouched.
      await sm.userSays('Book it');
      await sm.aiResponds('Booked.', {
        usage: { prompt_tokens: 90, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 64 } },
      });
      const after = await expectWellFormedChain(store, written.conversationId);
      expect(after.segments).toHaveLength(written.segmentIds.length + 1);
      expect(after.events.slice(0, chain.segments.length - 1)).toEqual(chain.events.slice(0, -1));
      expect((await sm.getConversation()).map((t) => t.content)).toEqual([
        ...written.messages,
        'Book it',
        'Booked.',
      ]);
      await expectNoStrayRows(store);
      figures.eventsWritten += after.events.flat().length;
      // Conversation totals (head only) equal the sum of every segment's totals after the writes.
      const fresh = await SessionManager.open(written.conversationId, { store, infiniteContext: true });
      const stats = await fresh.getStats();
      const total = after.segments.reduce((n, s) => n + s.totals.totalTokens, 0);
      expect(stats).toMatchObject({
        totalTokens: total,
        totalEvents: after.events.flat().length,
        cachedPromptTokens: 64,
      });

      // Schema v5: an image written now is stored once as a Blob, however many messages hold it.
      const image = { type: 'file', mediaType: 'image/png', url: PNG_URL };
      await sm.userSays('Here', {}, { parts: [{ type: 'text', text: 'Here' }, image] });
      await sm.userSays('Again', {}, { parts: [{ type: 'text', text: 'Again' }, image] });
      expect(await store.attachmentUsage()).toEqual({ count: 1, bytes: 70 });
      expect((await sm.getEvents()).at(-1)!.parts?.[1]).toEqual(image);

      // Schema v3: a tombstone keeps a deleted conversation deleted; importing it again restores it.
      const late = new SessionManager({ store, sessionId: DELETED_ID });
      if (version >= 3)
        await expect(late.userSays('hello?')).rejects.toBeInstanceOf(ConversationDeletedError);
      const before = await exportConversation(written.conversationId, { store });
      const waiting = new SessionManager({ store, sessionId: written.conversationId });
      await store.deleteConversation(written.conversationId);
      await expect(waiting.userSays('too late')).rejects.toBeInstanceOf(ConversationDeletedError);
      expect(await store.listConversations()).toEqual([]);
      // Deleting the last conversation that references the image freed its Blob.
      expect(await store.attachmentUsage()).toEqual({ count: 0, bytes: 0 });
      await importConversation(before, { store });
      expect((await store.listConversations()).map((c) => c.conversationId)).toEqual([
        written.conversationId,
      ]);
      expect(await store.attachmentUsage()).toEqual({ count: 1, bytes: 70 });
    } finally {
      store.close();
    }
    // Opening needed no schema repair: the fixture matches what Dexie declares for this version.
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/SchemaDiff/);
    warn.mockRestore();
    const db = await request(indexedDB.open(name));
    expect(db.version).toBe(nativeVersion(SCHEMA_VERSION));
    db.close();
  });
});
