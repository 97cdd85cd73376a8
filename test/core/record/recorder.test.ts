// The shared recorder the adapters build on: ids kept, edits become versions, a reply billed
// once, writes serialized, bad input rejected with a clear error.
import { EventType, InvalidInputError, MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import {
  beginReply,
  CompletionTally,
  IdLedger,
  linkMetadata,
  LiveReply,
  plainJson,
  uiMessageUnits,
  versionTarget,
  WriteQueue,
  writeToolCall,
  writeUserText,
} from '@ai-session-manager/core/record';
import { describe, expect, it } from 'vitest';

const keys = { messageId: 'uiMessageId', unit: 'uiUnit', metadata: 'uiMetadata' };

function manager(): SessionManager {
  return new SessionManager({ store: new MemorySessionStore() });
}

async function events(sm: SessionManager) {
  const head = (await sm.store.getHead(sm.conversationId))!;
  return sm.store.getEvents(head.id);
}

describe('ids', () => {
  it('links each event to its message and unit, and a new ledger learns them back', async () => {
    const sm = manager();
    const user = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] };
    const reply = {
      id: 'a1',
      role: 'assistant',
      metadata: { model: 'gpt-4o-mini' },
      parts: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-calc', toolCallId: 'c1', state: 'output-available', input: { x: 1 }, output: 2 },
      ],
    };
    await writeUserText(sm, 'Hi', linkMetadata(keys, user, 'text'));
    const [text, tool] = uiMessageUnits(reply, true);
    const stream = await beginReply(sm, { metadata: linkMetadata(keys, reply, text!.key) });
    stream.append('Let me check.');
    const answered = await stream.finish();
    if (tool?.kind !== 'tool') throw new Error('expected a tool unit');
    await writeToolCall(sm, tool, linkMetadata(keys, reply, tool.key), { parentEventId: answered.id });

    const ledger = new IdLedger(keys);
    ledger.learn(await events(sm));
    expect([...ledger.units('a1').keys()]).toEqual(['text-0', 'tool:c1']);
    expect(ledger.eventId('a1', 'text-0')).toBe(answered.id);
    expect(ledger.messageOf(answered.id)).toBe('a1');
    expect(ledger.has('u1', 'text')).toBe(true);
    const stored = await events(sm);
    expect(stored[1]!.metadata).toMatchObject({
      uiMessageId: 'a1',
      uiUnit: 'text-0',
      uiMetadata: { model: 'gpt-4o-mini' },
    });
  });

  it('keeps link keys an adapter already stores (createdAt, empty metadata dropped by default)', () => {
    const link = linkMetadata(
      {
        messageId: 'tanstackMessageId',
        unit: 'tanstackUnit',
        metadata: 'tanstackMetadata',
        createdAt: 'tanstackCreatedAt',
      },
      { id: 'm', metadata: {}, createdAt: new Date('2026-01-02T03:04:05.000Z') },
      'text',
    );
    expect(link).toEqual({
      tanstackMessageId: 'm',
      tanstackUnit: 'text',
      tanstackCreatedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(linkMetadata({ ...keys, keepEmptyMetadata: true }, { id: 'm', metadata: {} }, 'text')).toEqual({
      uiMessageId: 'm',
      uiUnit: 'text',
      uiMetadata: {},
    });
  });
});

describe('versions', () => {
  it('an edited user message becomes a new version of the stored one', async () => {
    const sm = manager();
    await writeUserText(sm, 'Hi', linkMetadata(keys, { id: 'u1' }, 'text'));
    await sm.aiResponds('Hello');
    const of = await versionTarget(sm, keys, { messageId: 'u1', unit: 'text' });
    expect(of).toBeDefined();
    const edited = await writeUserText(sm, 'Hey', linkMetadata(keys, { id: 'u1' }, 'text'), of);
    const alternatives = await sm.getAlternatives(edited!);
    expect(alternatives.versions.map((v) => v.content)).toEqual(['Hi', 'Hey']);
    expect((await sm.getMessagesForLLM()).map((m) => m.content)).toEqual(['Hey']);
  });

  it('a regenerated reply becomes a new version of the stored reply', async () => {
    const sm = manager();
    await sm.userSays('Hi');
    const first = crypto.randomUUID();
    await sm.aiResponds('Hello', { eventId: first });
    const again = await beginReply(sm, { versionOf: first });
    again.append('Hi there');
    await again.finish();
    expect((await sm.getMessagesForLLM()).map((m) => m.content)).toEqual(['Hi', 'Hi there']);
  });
});

describe('live replies and bill once', () => {
  it('streams the text handed over in order, before and after the reply began', async () => {
    const sm = manager();
    await sm.userSays('Hi');
    const live = new LiveReply('a1', 'text-0', sm.beginResponse());
    live.show('Hel');
    live.show('Hello');
    await live.begun;
    live.show('Hello there');
    const event = await live.end(undefined);
    expect(event?.message).toBe('Hello there');
  });

  it('a stopped reply keeps its text so far, aborted', async () => {
    const sm = manager();
    await sm.userSays('Hi');
    const live = new LiveReply('a1', 'text-0', sm.beginResponse());
    live.show('Half');
    await live.end({ aborted: true });
    const reply = (await events(sm)).find((e) => e.type === EventType.MESSAGE && e.message === 'Half');
    expect(reply?.reply?.status).toBe('aborted');
  });

  it('takes what earlier texts were counted with off the usage, once', () => {
    const tally = new CompletionTally();
    tally.add('a1', 7);
    const usage = { promptTokens: 100, completionTokens: 30, totalTokens: 130 };
    expect(tally.billed(usage, 'a1')).toEqual({ promptTokens: 100, completionTokens: 23, totalTokens: 123 });
    expect(tally.billed(usage, 'a1')).toEqual(usage);
    expect(tally.billed(undefined, 'a1')).toBeUndefined();
  });
});

describe('writes', () => {
  it('run one at a time in order, and a failure does not stop those after it', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    const slow = queue.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push('slow');
    });
    const failed = queue.settle(() => {
      throw new Error('boom');
    });
    const fast = queue.run(() => log.push('fast'));
    await Promise.all([slow, fast]);
    expect(log).toEqual(['slow', 'fast']);
    expect(await failed).toBeInstanceOf(Error);
    await queue.idle();
  });

  it('leaves out what is not JSON instead of failing the write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(plainJson(cyclic)).toBeUndefined();
    expect(plainJson({ at: new Date('2026-01-01T00:00:00.000Z') })).toEqual({
      at: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('AI SDK parts', () => {
  it('splits text runs and tool calls, the streaming run incomplete until done', () => {
    const message = {
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        { type: 'text', text: 'Let me' },
        { type: 'text', text: 'check.' },
        { type: 'tool-calc', toolCallId: 'c1', state: 'input-available', input: {} },
        { type: 'step-start' },
        { type: 'text', text: 'It is 2', state: 'streaming' },
      ],
    };
    expect(uiMessageUnits(message, false).map((u) => [u.key, u.complete])).toEqual([
      ['text-0', true],
      ['tool:c1', false],
      ['text-1', false],
    ]);
    expect(uiMessageUnits(message, true)[0]).toMatchObject({ text: 'Let me\n\ncheck.' });
    expect(uiMessageUnits(message, true)[2]!.complete).toBe(true);
  });

  it('rejects a malformed part with an error naming it', () => {
    const bad = { role: 'assistant', parts: [{ type: 'tool-calc', state: 'output-available' }] };
    expect(() => uiMessageUnits(bad, true, 'messages[3]')).toThrow(InvalidInputError);
    expect(() => uiMessageUnits(bad, true, 'messages[3]')).toThrow(/messages\[3\]\.parts\[0\]\.toolCallId/);
    expect(() => uiMessageUnits({ role: 'user', parts: [{ type: 'text' }] }, true)).toThrow(
      /message\.parts\[0\]\.text/,
    );
  });
});
