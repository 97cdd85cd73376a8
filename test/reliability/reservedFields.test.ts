// Issue 20, cause 1: the library's bookkeeping (a reply's status and lease, branch links) lives
// in typed fields of its own, so nothing a caller or a file puts in `metadata` changes counting,
// the active path, leases or rollovers; and imports cannot smuggle in links or leases that
// break a conversation.
import {
  exportConversation,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  type SessionEvent,
  SessionManager,
  type SessionStore,
} from '@ai-session-manager/core';
import { replyStatus } from '@ai-session-manager/core/chat';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../helpers';

/** A conversation with a regenerated reply (two versions) and an older version selected. */
async function branched(store: SessionStore) {
  const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
  await sm.userSays('Pick a city');
  await sm.aiResponds('Rome');
  const events = await sm.getEvents();
  const first = events[1]!;
  const again = await sm.regenerate(first.id);
  again.append('Paris');
  await again.finish();
  await sm.userSays('Why?');
  await sm.aiResponds('Because of the food.');
  await sm.selectAlternative(first.id);
  return { sm, first: first.id, second: again.eventId };
}

for (const factory of storeFactories) {
  describe(`caller metadata is the caller's alone (${factory.kind})`, () => {
    it('status, lease and owner keys in metadata do not hide, block or un-count a message', async () => {
      const store = factory.create();
      const sm = new SessionManager({
        store,
        defaultModel: 'gpt-4o-mini',
        infiniteContext: true,
        maxTurnsPerSegment: 2,
      });
      await sm.userSays('one', { status: 'discarded' });
      await sm.aiResponds('two', { status: 'streaming', leaseUntil: Date.now() + 1e12, streamOwner: 'x' });
      const [user, reply] = await sm.getEvents();
      expect(user).toMatchObject({ metadata: { status: 'discarded' } });
      expect(user!.reply).toBeUndefined();
      expect(replyStatus(reply!)).toBe('complete');
      expect((await sm.getConversation()).map((t) => [t.content, t.status])).toEqual([
        ['one', 'complete'],
        ['two', 'complete'],
      ]);
      expect((await sm.getMessagesForLLM()).map((m) => m.content)).toEqual(['one', 'two']);
      expect((await sm.getStats()).totalMessages).toBe(2);
      // The far-future "lease" in metadata does not hold the rollover.
      await sm.userSays('three');
      expect((await store.getSegments(sm.conversationId)).length).toBe(2);
    });

    it('branchParent / versionOf in metadata do not cut the history the model gets', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
      await sm.userSays('first');
      await sm.aiResponds('answer');
      await sm.userSays('second', { branchParent: null, versionOf: 'nothing' });
      expect((await sm.getMessagesForLLM()).map((m) => m.content)).toEqual(['first', 'answer', 'second']);
      const last = (await sm.getEvents()).at(-1)!;
      expect(last.branch).toBeUndefined();
      expect(last.metadata).toEqual({ branchParent: null, versionOf: 'nothing' });
    });

    it('aiResponds records an aborted reply through its own option, counted', async () => {
      const store = factory.create();
      const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
      await sm.userSays('q');
      await sm.aiResponds('half an ans', { abortReason: 'stopped' });
      const reply = (await sm.getEvents())[1]!;
      expect(reply.reply).toMatchObject({ status: 'aborted', abortReason: 'stopped' });
      expect(reply.metadata).not.toHaveProperty('abortReason');
      expect((await sm.getConversation())[1]!.status).toBe('aborted');
      expect((await sm.getStats()).aiMessages).toBe(1);
      await expect(sm.aiResponds('x', { abortReason: 42 as unknown as string })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(sm.userSays('x', {}, { branch: { parent: '' } })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(sm.userSays('x', {}, { branch: 'p' as never })).rejects.toBeInstanceOf(InvalidInputError);
      expect((await sm.getEvents()).length).toBe(2);
    });

    it('importConversation({ newIds: true }) of a branched conversation keeps its own versions and selection', async () => {
      const store = factory.create();
      const { sm, first } = await branched(store);
      const shown = (await sm.getConversation()).map((t) => t.content);
      expect(shown).toEqual(['Pick a city', 'Rome']);
      const doc = await exportConversation(sm.conversationId, { store });
      const copy = await importConversation(doc, { store, newIds: true });
      const other = await SessionManager.open(copy.conversationId, { store });
      expect((await other.getConversation()).map((t) => t.content)).toEqual(shown);
      expect((await other.getMessagesForLLM()).map((m) => m.content)).toEqual(shown);
      const copied = (await other.getEvents()).filter((e) => e.source === 'llm');
      const alternatives = await other.getAlternatives(copied[0]!.id);
      expect(alternatives.versions.map((t) => t.content)).toEqual(['Rome', 'Paris']);
      expect(alternatives.activeIndex).toBe(0);
      // No link of the copy names an event of the original.
      const originalIds = new Set((await sm.getEvents()).map((e) => e.id));
      for (const e of await other.getEvents()) {
        for (const id of [e.branch?.versionOf, e.branch?.parent])
          if (id) expect(originalIds.has(id)).toBe(false);
      }
      expect(originalIds.has(other.activeLeafId ?? '')).toBe(false);
      // Switching in the copy leaves the original as it was.
      await other.selectAlternative(copied[1]!.id);
      expect((await other.getConversation()).map((t) => t.content)).toEqual([
        'Pick a city',
        'Paris',
        'Why?',
        'Because of the food.',
      ]);
      const reopened = await SessionManager.open(sm.conversationId, { store });
      expect((await reopened.getConversation()).map((t) => t.content)).toEqual(shown);
      expect((await reopened.getAlternatives(first)).activeIndex).toBe(0);
    });
  });
}

describe('imports cannot carry broken branch links or live leases', () => {
  async function exported() {
    const store = new MemorySessionStore();
    const { sm } = await branched(store);
    return exportConversation(sm.conversationId, { store });
  }
  const refused = async (doc: unknown, path: string, message: RegExp) => {
    const store = new MemorySessionStore();
    const error = await importConversation(doc, { store }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).path).toBe(path);
    expect((error as Error).message).toMatch(message);
    expect(await store.listConversations()).toEqual([]);
  };
  const withEvent = (doc: { events: SessionEvent[] }, i: number, change: Partial<SessionEvent>) => ({
    ...doc,
    events: doc.events.map((e, k) => (k === i ? { ...e, ...change } : e)),
  });

  it('refuses a link to nowhere, to itself, to a later event, or a version of another role', async () => {
    const doc = await exported();
    const version = doc.events.findIndex((e) => e.branch?.versionOf !== undefined);
    const v = doc.events[version]!;
    const user = doc.events.find((e) => e.source === 'user')!;
    const later = doc.events.at(-1)!;
    await refused(
      withEvent(doc, version, { branch: { ...v.branch, parent: 'ghost' } }),
      `events[${version}].branch.parent`,
      /no message "ghost"/,
    );
    await refused(
      withEvent(doc, version, { branch: { ...v.branch, parent: v.id } }),
      `events[${version}].branch.parent`,
      /itself/,
    );
    await refused(
      withEvent(doc, version, { branch: { ...v.branch, parent: later.id } }),
      `events[${version}].branch.parent`,
      /stored before/,
    );
    await refused(
      withEvent(doc, version, { branch: { ...v.branch, versionOf: user.id } }),
      `events[${version}].branch.versionOf`,
      /another role/,
    );
    await refused(
      withEvent(doc, version, { branch: { ...v.branch, versionOf: v.id } }),
      `events[${version}].branch.versionOf`,
      /itself/,
    );
    await refused(
      withEvent(doc, version, { branch: { bogus: 1 } as never }),
      `events[${version}].branch.bogus`,
      /unknown field/,
    );
    const head = doc.sessions.length - 1;
    const leafless = {
      ...doc,
      sessions: doc.sessions.map((s, i) =>
        i === head ? { ...s, state: { ...s.state, activeLeafId: 'ghost' } } : s,
      ),
    };
    await refused(leafless, `sessions[${head}].state.activeLeafId`, /no message "ghost"/);
  });

  it('a reply streaming with a far-future lease arrives interrupted: it can be discarded, rollovers go on', async () => {
    const source = new MemorySessionStore();
    const sm = new SessionManager({ store: source, defaultModel: 'gpt-4o-mini' });
    await sm.userSays('q');
    const live = await sm.beginResponse({ leaseMs: 60_000 });
    live.append('par');
    await live.flush();
    const doc = await exportConversation(sm.conversationId, { store: source });
    const i = doc.events.findIndex((e) => e.id === live.eventId);
    const forged = withEvent(doc, i, {
      reply: { status: 'streaming', leaseUntil: 8.64e15, owner: 'forever' },
    });
    const store = new MemorySessionStore();
    await importConversation(forged, { store });
    const opened = await SessionManager.open(sm.conversationId, {
      store,
      infiniteContext: true,
      maxTurnsPerSegment: 1,
    });
    const stored = (await opened.getEvents())[1]!;
    expect(replyStatus(stored)).toBe('interrupted');
    expect(stored.reply).toEqual({ status: 'streaming' });
    await opened.discardResponse(stored.id);
    await opened.userSays('next');
    expect((await store.getSegments(sm.conversationId)).length).toBe(2);
    live.append('t');
    await live.finish();
  });

  it('reads a version-1 file: the library keys leave metadata for reply and branch', async () => {
    const doc = await exported();
    const legacy = {
      ...doc,
      version: 1,
      events: doc.events.map((e) => {
        const { reply, branch, ...rest } = e;
        const metadata: Record<string, unknown> = { ...e.metadata };
        if (reply) Object.assign(metadata, { status: reply.status, finishedAt: reply.finishedAt });
        if (branch?.versionOf) metadata.versionOf = branch.versionOf;
        if (branch && branch.parent !== undefined) metadata.branchParent = branch.parent;
        return { ...rest, metadata };
      }),
    };
    const store = new MemorySessionStore();
    await importConversation(JSON.parse(JSON.stringify(legacy)), { store });
    const again = await exportConversation(doc.conversationId, { store });
    expect(again.events).toEqual(doc.events);
    expect(again.version).toBe(3);
  });
});
