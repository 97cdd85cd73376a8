import {
  type ConversationDocument,
  DuplicateIdError,
  exportConversation,
  importConversation,
  InvalidInputError,
  SessionAwareToolProcessor,
  SessionManager,
  type SessionStore,
  SessionNotFoundError,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

/** A conversation with every kind of record: rollovers, tool calls, provider usage, metadata, a run. */
async function richConversation(store: SessionStore): Promise<SessionManager> {
  const sm = new SessionManager({
    store,
    systemPrompt: 'You are a travel agent.',
    metadata: { title: 'Rome', tags: ['trip'] },
    infiniteContext: true,
    maxTurnsPerSegment: 4,
  });
  const run = await sm.startRun({ goal: 'plan' });
  await sm.userSays('Plan Rome', { locale: 'en' });
  await sm.aiResponds('Dates?', {
    model: 'gpt-4o',
    provider: 'openai',
    usage: { prompt_tokens: 20, completion_tokens: 2 },
  });
  await sm.userSays('May');
  const tools = new SessionAwareToolProcessor({
    manager: sm,
    tools: { flights: () => ({ price: 120.5 }) },
    retryDelayMs: 0,
  });
  await tools.processLLMMessage({
    content: 'Searching',
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'flights', arguments: '{"month":5}' } }],
  });
  await sm.userSays('Cheaper?');
  await sm.aiResponds('No, that is the cheapest.', { model: 'my-local-model' });
  await run.complete();
  await sm.userSays('Thanks');
  return sm;
}

const withoutExportedAt = (doc: ConversationDocument) => ({ ...doc, exportedAt: undefined });

describe.each(storeFactories)('export and import on $kind store', (factory) => {
  it('round-trips losslessly: export, JSON, import into another store, export again', async () => {
    const source = factory.create();
    const sm = await richConversation(source);
    const doc = await exportConversation(sm.conversationId, { store: source });
    expect(doc).toMatchObject({
      format: 'ai-session-manager',
      version: 3,
      conversationId: sm.conversationId,
    });
    expect(doc.sessions.length).toBeGreaterThan(1);
    expect(doc.events.length).toBe(doc.sessions.reduce((n, s) => n + s.totals.events, 0));

    const target = factory.create();
    const result = await importConversation(JSON.parse(JSON.stringify(doc)), { store: target });
    expect(result).toEqual({
      conversationId: sm.conversationId,
      headSessionId: doc.sessions.at(-1)!.id,
      sessions: doc.sessions.length,
      events: doc.events.length,
    });
    const again = await exportConversation(sm.conversationId, { store: target });
    expect(withoutExportedAt(again)).toEqual(withoutExportedAt(doc));

    // The imported conversation is a normal one: it opens at its head and continues with the next seq.
    const reopened = await SessionManager.open(sm.conversationId, { store: target });
    expect(reopened.systemPrompt).toBe('You are a travel agent.');
    const all = { includeAllSegments: true };
    expect({ ...(await reopened.getStats(all)), infiniteContext: true }).toEqual(await sm.getStats(all));
    expect((await reopened.getRuns()).map((r) => r.status)).toEqual(['completed']);
    await reopened.aiResponds('You are welcome');
    const head = await target.getEvents(reopened.sessionId);
    expect(head.map((e) => e.seq)).toEqual(head.map((_, i) => i));
  });

  it('exports from any segment id, accepts JSON text, and refuses an unknown id', async () => {
    const store = factory.create();
    const sm = await richConversation(store);
    const fromHead = await exportConversation(sm.sessionId, { store });
    expect(fromHead.conversationId).toBe(sm.conversationId);
    const target = factory.create();
    await importConversation(JSON.stringify(fromHead), { store: target });
    expect((await target.getSegments(sm.conversationId)).length).toBe(fromHead.sessions.length);
    await expect(exportConversation('missing', { store })).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  describe('an invalid document writes nothing and names the failing path', () => {
    async function exported() {
      const store = factory.create();
      const sm = await richConversation(store);
      return JSON.parse(
        JSON.stringify(await exportConversation(sm.conversationId, { store })),
      ) as ConversationDocument;
    }

    async function expectRefused(doc: unknown, path: string, message?: RegExp) {
      const target = factory.create();
      const error = await importConversation(doc, { store: target }).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.path).toBe(path);
      if (message) expect(error.message).toMatch(message);
      expect(await target.listConversations()).toEqual([]);
    }

    it('wrong version or format', async () => {
      const doc = await exported();
      await expectRefused({ ...doc, version: 4 }, 'version', /reads versions 1, 2, 3, got 4/);
      await expectRefused({ ...doc, version: '2' }, 'version', /reads versions 1, 2, 3, got "2"/);
      await expectRefused({ ...doc, format: 'something-else' }, 'format');
      await expectRefused([doc], '');
      await expectRefused('{ not json', '');
    });

    it('a missing field', async () => {
      const doc = await exported();
      delete (doc.events[1] as Partial<(typeof doc.events)[number]>).timestamp;
      await expectRefused(doc, 'events[1].timestamp');
      const noMessage = await exported();
      delete (noMessage.events[0] as { message?: unknown }).message;
      await expectRefused(noMessage, 'events[0].message');
    });

    it('a wrong type or an unknown field', async () => {
      const doc = await exported();
      (doc.events[2] as unknown as { seq: string }).seq = '2';
      await expectRefused(doc, 'events[2].seq');
      const extra = await exported();
      (extra.sessions[0] as unknown as Record<string, unknown>).surprise = true;
      await expectRefused(extra, 'sessions[0].surprise', /unknown field/);
      const dated = await exported();
      dated.events[0]!.metadata = { when: new Date() };
      await expectRefused(dated, 'events[0].metadata.when');
      const toolCall = await exported();
      const index = toolCall.events.findIndex((e) => e.type === 'tool_call');
      toolCall.events[index]!.message = { tool: '' };
      await expectRefused(toolCall, `events[${index}].message.tool`);
    });

    it('an event pointing at an unknown segment', async () => {
      const doc = await exported();
      doc.events[3]!.sessionId = 'no-such-segment';
      await expectRefused(doc, 'events[3].sessionId', /no segment "no-such-segment"/);
    });

    it('duplicate ids within the document', async () => {
      const doc = await exported();
      doc.events[2]!.id = doc.events[1]!.id;
      await expectRefused(doc, 'events[2].id', /appears twice/);
      const sessions = await exported();
      sessions.sessions[1]!.id = sessions.sessions[0]!.id;
      await expectRefused(sessions, 'sessions[1].id');
    });

    it('a seq gap or a repeated seq', async () => {
      const doc = await exported();
      const root = doc.sessions[0]!.id;
      const victim = doc.events.findIndex((e) => e.sessionId === root && e.seq === 1);
      doc.events.splice(victim, 1);
      await expectRefused(doc, `events[${victim}].seq`, /no event with seq 1/);
      const repeated = await exported();
      repeated.events[1]!.seq = 0;
      await expectRefused(repeated, 'events[1].seq', /appears twice/);
    });

    it('a chain that is not linear', async () => {
      const doc = await exported();
      doc.sessions[1]!.parentId = doc.sessions[1]!.id;
      await expectRefused(doc, 'sessions[1].parentId', /must continue segment 0/);
      const gap = await exported();
      gap.sessions[1]!.segmentIndex = 5;
      await expectRefused(gap, 'sessions[1].segmentIndex');
      const foreign = await exported();
      foreign.sessions[1]!.rootId = 'another-conversation';
      await expectRefused(foreign, 'sessions[1].rootId');
      const rootless = await exported();
      rootless.conversationId = rootless.sessions[1]!.id;
      await expectRefused(rootless, 'sessions[0].rootId');
    });

    it('totals that disagree with the events (rejected, not recomputed)', async () => {
      const doc = await exported();
      doc.sessions[0]!.totals.totalTokens += 1;
      await expectRefused(doc, 'sessions[0].totals.totalTokens', /events add up to/);
      const usage = await exported();
      const withUsage = usage.events.find((e) => e.tokenUsage && e.tokenUsage.completionTokens > 0)!;
      withUsage.tokenUsage!.completionTokens += 100;
      withUsage.tokenUsage!.totalTokens += 100;
      const at = usage.sessions.findIndex((s) => s.id === withUsage.sessionId);
      await expectRefused(usage, `sessions[${at}].totals.completionTokens`);
    });
  });

  it('ids already in the store give DuplicateIdError and write nothing', async () => {
    const source = factory.create();
    const sm = await richConversation(source);
    const doc = await exportConversation(sm.conversationId, { store: source });
    const target = factory.create();
    await importConversation(doc, { store: target });
    const before = await exportConversation(sm.conversationId, { store: target });
    await expect(importConversation(doc, { store: target })).rejects.toBeInstanceOf(DuplicateIdError);

    // New segment ids, but one event id that exists: still all or nothing.
    const ids = new Map(doc.sessions.map((s) => [s.id, `copy-${s.id}`]));
    const copy: ConversationDocument = {
      ...doc,
      conversationId: ids.get(doc.conversationId)!,
      sessions: doc.sessions.map((s) => ({
        ...s,
        id: ids.get(s.id)!,
        rootId: ids.get(s.rootId)!,
        parentId: s.parentId && ids.get(s.parentId)!,
      })),
      events: doc.events.map((e, i) => ({
        ...e,
        id: i === 0 ? e.id : `copy-${e.id}`,
        sessionId: ids.get(e.sessionId)!,
      })),
    };
    await expect(importConversation(copy, { store: target })).rejects.toBeInstanceOf(DuplicateIdError);
    expect(await target.getSession(copy.conversationId)).toBeUndefined();
    expect((await target.listConversations()).length).toBe(1);
    expect(withoutExportedAt(await exportConversation(sm.conversationId, { store: target }))).toEqual(
      withoutExportedAt(before),
    );
  });
});
