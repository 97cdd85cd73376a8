import {
  EventType,
  exportConversation,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  type SessionManagerOptions,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';

// A scrubber independent of the built-in patterns: what matters here is that every writer calls it.
const SECRET = 'SECRET123';
const scrub = (text: string) => text.replaceAll(SECRET, '[redacted]');

function manager(options: Omit<SessionManagerOptions, 'store'> = {}) {
  return new SessionManager({ store: new MemorySessionStore(), scrub, ...options });
}

describe("SessionManager's scrub option: every writer stores scrubbed text", () => {
  it('userSays: the text and the top-level string values of its metadata (nested values stay)', async () => {
    const sm = manager();
    await sm.userSays(`my key is ${SECRET}`, { note: `from ${SECRET}`, nested: { raw: SECRET }, n: 1 });
    const [event] = await sm.getEvents();
    expect(event!.message).toBe('my key is [redacted]');
    expect(event!.metadata).toEqual({ note: 'from [redacted]', nested: { raw: SECRET }, n: 1 });
  });

  it('aiResponds: the text, its metadata strings and the abort reason', async () => {
    const sm = manager();
    await sm.aiResponds(`it is ${SECRET}`, { abortReason: `401 for ${SECRET}`, note: SECRET });
    const [event] = await sm.getEvents();
    expect(event!.message).toBe('it is [redacted]');
    expect(event!.metadata.note).toBe('[redacted]');
    expect(event!.reply).toMatchObject({ status: 'aborted', abortReason: '401 for [redacted]' });
  });

  it('a streamed reply: a key split across two appends is scrubbed in what is written; the handle keeps its text', async () => {
    const sm = manager();
    const reply = await sm.beginResponse({ metadata: { note: SECRET } });
    reply.append('Your key is SECR');
    reply.append('ET123, keep it safe');
    await reply.flush();
    expect((await sm.getEvents())[0]!.message).toBe('Your key is [redacted], keep it safe');
    reply.append(` (${SECRET})`);
    const event = await reply.finish();
    expect(event.message).toBe('Your key is [redacted], keep it safe ([redacted])');
    expect(event.metadata.note).toBe('[redacted]');
    expect(reply.text).toBe(`Your key is ${SECRET}, keep it safe (${SECRET})`);
  });

  it('a streamed reply aborted: its text and the reason', async () => {
    const sm = manager();
    const reply = await sm.beginResponse();
    reply.append(`half ${SECRET}`);
    const event = await reply.abort(`stream failed: ${SECRET}`);
    expect(event.message).toBe('half [redacted]');
    expect(event.reply).toMatchObject({ status: 'aborted', abortReason: 'stream failed: [redacted]' });
  });

  it('toolUsed: the error and metadata strings; arguments and results are the app’s data and stay', async () => {
    const sm = manager();
    await sm.toolUsed(
      'fetch',
      { key: SECRET },
      { echoed: SECRET },
      { error: `denied ${SECRET}`, note: SECRET },
    );
    const [event] = await sm.getEvents();
    expect(event!.message).toMatchObject({
      arguments: { key: SECRET },
      result: { echoed: SECRET },
      error: 'denied [redacted]',
    });
    expect(event!.metadata.note).toBe('[redacted]');
  });

  it('editMessage, updateMetadata and the constructor metadata', async () => {
    const sm = manager({ metadata: { title: `about ${SECRET}` } });
    await sm.userSays('first');
    const [first] = await sm.getEvents();
    const edit = await sm.editMessage(first!.id, `second ${SECRET}`);
    const events = await sm.getEvents();
    expect(events.find((e) => e.id === edit.eventId)!.message).toBe('second [redacted]');
    const merged = await sm.updateMetadata({ tag: SECRET, nested: { raw: SECRET } });
    expect(merged).toMatchObject({ title: 'about [redacted]', tag: '[redacted]', nested: { raw: SECRET } });
    const root = await sm.store.getSession(sm.conversationId);
    expect(JSON.stringify(root!.metadata)).toBe(JSON.stringify(merged));
  });

  it("a summary: a summarize callback's error (summaryError) and its text", async () => {
    const failing = manager({
      infiniteContext: true,
      maxTurnsPerSegment: 2,
      summarize: async () => {
        throw new Error(`401 Invalid API key: ${SECRET}`);
      },
    });
    for (const text of ['a', 'b', 'c']) await failing.userSays(text);
    const summaries = (await failing.getEvents({ includeAllSegments: true })).filter(
      (e) => e.type === EventType.SUMMARY,
    );
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.metadata.summaryError).toBe('401 Invalid API key: [redacted]');

    const quoting = manager({
      infiniteContext: true,
      maxTurnsPerSegment: 2,
      summarize: async () => `the key ${SECRET}`,
    });
    for (const text of ['a', 'b', 'c']) await quoting.userSays(text);
    const [summary] = (await quoting.getEvents({ includeAllSegments: true })).filter(
      (e) => e.type === EventType.SUMMARY,
    );
    expect(summary!.message).toBe('the key [redacted]');
  });

  it('a run: its failure reason and metadata strings', async () => {
    const sm = manager();
    const run = await sm.startRun({ note: SECRET });
    await run.fail(`tool crashed: ${SECRET}`);
    const [record] = await sm.getRuns();
    expect(record).toMatchObject({ reason: 'tool crashed: [redacted]', metadata: { note: '[redacted]' } });
  });

  it('without the option nothing changes, and sm.scrub is the identity', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays(SECRET, { note: SECRET });
    const [event] = await sm.getEvents();
    expect(event!.message).toBe(SECRET);
    expect(event!.metadata.note).toBe(SECRET);
    expect(sm.scrub(SECRET)).toBe(SECRET);
    expect(manager().scrub(SECRET)).toBe('[redacted]');
  });

  it('a scrub that is not a function, or answers anything but a string, is an InvalidInputError', async () => {
    const store = new MemorySessionStore();
    expect(() => new SessionManager({ store, scrub: 'no' as never })).toThrow(InvalidInputError);
    const sm = new SessionManager({ store, scrub: (() => undefined) as never });
    await expect(sm.userSays('hi')).rejects.toBeInstanceOf(InvalidInputError);
    await new SessionManager({ store, sessionId: 'c' }).userSays('hi');
    await expect(exportConversation('c', { store, scrub: 1 as never })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});
