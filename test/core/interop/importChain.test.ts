// Import refuses chains the model would misread, and can import a second copy under fresh ids.
import {
  type ConversationDocument,
  DuplicateIdError,
  EventType,
  exportConversation,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  SessionAwareToolProcessor,
  SessionManager,
  type SessionStore,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

/** Two rollovers, a run, tool calls linked to their assistant message. */
async function chained(store: SessionStore): Promise<SessionManager> {
  const sm = new SessionManager({
    store,
    infiniteContext: true,
    maxTurnsPerSegment: 3,
    systemPrompt: 'Be brief.',
  });
  const run = await sm.startRun({ goal: 'x' });
  await sm.userSays('one');
  const tools = new SessionAwareToolProcessor({
    manager: sm,
    tools: { clock: () => '12:00' },
    retryDelayMs: 0,
  });
  await tools.processLLMMessage({
    content: 'checking',
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'clock', arguments: '{}' } }],
  });
  await sm.userSays('two');
  await run.complete();
  for (let i = 0; i < 4; i++) await sm.userSays(`more ${i}`);
  expect((await sm.getSessionChain()).length).toBeGreaterThanOrEqual(2);
  return sm;
}

const exported = async (store: SessionStore, id: string) =>
  JSON.parse(JSON.stringify(await exportConversation(id, { store }))) as ConversationDocument;

describe('import refuses chains with misplaced summaries', () => {
  it('a closed segment with no summary', async () => {
    const store = new MemorySessionStore();
    const sm = await chained(store);
    const doc = await exported(store, sm.conversationId);
    // Drop the summary (the last event) of segment 0 and fix seq/totals so only that is wrong.
    const root = doc.sessions[0]!;
    const at = doc.events.findIndex((e) => e.sessionId === root.id && e.type === EventType.SUMMARY);
    const [summary] = doc.events.splice(at, 1);
    root.totals.events -= 1;
    root.totals.summaries -= 1;
    root.totals.promptTokens -= summary!.tokenUsage!.promptTokens;
    root.totals.totalTokens -= summary!.tokenUsage!.totalTokens;
    const error = await importConversation(doc, { store: new MemorySessionStore() }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.path).toBe('sessions[0]');
    expect(error.message).toMatch(/no summary/);
  });

  it('a summary inside the head segment', async () => {
    const store = new MemorySessionStore();
    const sm = await chained(store);
    const doc = await exported(store, sm.conversationId);
    const headIndex = doc.sessions.length - 1;
    const head = doc.sessions[headIndex]!;
    const first = doc.events.findIndex((e) => e.sessionId === head.id);
    const event = doc.events[first]!;
    // Turn the head's first message into a summary, totals adjusted to match.
    event.type = EventType.SUMMARY;
    event.source = 'system';
    head.totals.messages -= 1;
    head.totals.userMessages -= 1;
    head.totals.summaries += 1;
    const target = new MemorySessionStore();
    const error = await importConversation(doc, { store: target }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.path).toBe(`events[${first}].type`);
    expect(error.message).toMatch(/head segment/);
    expect(await target.listConversations()).toEqual([]);
  });
});

describe.each(storeFactories)('importConversation(doc, { newIds: true }) on $kind store', (factory) => {
  it('imports a second copy under fresh ids, links remapped, the original untouched', async () => {
    const store = factory.create();
    const sm = await chained(store);
    const doc = await exportConversation(sm.conversationId, { store });
    await expect(importConversation(doc, { store })).rejects.toBeInstanceOf(DuplicateIdError);
    const result = await importConversation(doc, { store, newIds: true });
    expect(result.conversationId).not.toBe(doc.conversationId);
    expect(result.sessions).toBe(doc.sessions.length);
    expect(result.events).toBe(doc.events.length);

    const copy = await exportConversation(result.conversationId, { store });
    const oldIds = new Set([...doc.sessions.map((s) => s.id), ...doc.events.map((e) => e.id)]);
    for (const s of copy.sessions) {
      expect(oldIds.has(s.id)).toBe(false);
      expect(s.rootId).toBe(result.conversationId);
    }
    expect(copy.sessions.map((s) => s.parentId)).toEqual([
      null,
      ...copy.sessions.slice(0, -1).map((s) => s.id),
    ]);
    expect(result.headSessionId).toBe(copy.sessions.at(-1)!.id);
    for (const e of copy.events) expect(oldIds.has(e.id)).toBe(false);
    // Same content, same order.
    const strip = (d: ConversationDocument) =>
      d.events.map((e) => [e.seq, e.type, e.message, e.timestamp, e.tokenUsage, e.metadata]);
    expect(strip(copy)).toEqual(strip(doc));
    // parentEventId points at the copy's assistant message; taskId at the copy's run.
    const tool = copy.events.find((e) => e.type === EventType.TOOL_CALL)!;
    const parent = copy.events.find((e) => e.id === tool.parentEventId);
    expect(parent?.message).toBe('checking');
    const runs = copy.sessions[0]!.state.runs as Record<string, { id: string }>;
    const [runId] = Object.keys(runs);
    expect(runs[runId!]!.id).toBe(runId);
    expect(oldIds.has(runId!)).toBe(false);
    const tagged = copy.events.filter((e) => e.taskId !== undefined);
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((e) => e.taskId === runId)).toBe(true);

    // Both are full conversations: the copy continues on its own.
    const again = await SessionManager.open(result.conversationId, { store, infiniteContext: true });
    expect((await again.getRunStats(runId!)).totals.events).toBe(tagged.length);
    await again.userSays('the copy goes on');
    expect((await exportConversation(sm.conversationId, { store })).events.length).toBe(doc.events.length);
    // And a third copy from the same document also works.
    const third = await importConversation(doc, { store, newIds: true });
    expect(third.conversationId).not.toBe(result.conversationId);
  });

  it('an invalid document with newIds writes nothing', async () => {
    const store = factory.create();
    const sm = await chained(store);
    const doc = await exported(store, sm.conversationId);
    doc.sessions[0]!.totals.events += 1;
    const target = factory.create();
    await expect(importConversation(doc, { store: target, newIds: true })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(await target.listConversations()).toEqual([]);
  });

  it('newIds must be a boolean', async () => {
    const store = factory.create();
    const sm = await chained(store);
    const doc = await exported(store, sm.conversationId);
    const error = await importConversation(doc, { store, newIds: 'yes' as never }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.path).toBe('options.newIds');
  });
});
