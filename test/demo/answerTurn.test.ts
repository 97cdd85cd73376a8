import { MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { openNewTurn, ReplyFailedError, streamAnswer } from '../../apps/demo/src/answerTurn';
import type { Responder, ResponderChunk } from '../../apps/demo/src/responder';

/** A responder that streams `chunks`, then throws `failWith` if given. */
function scripted(chunks: ResponderChunk[], failWith?: Error, onChunk?: (i: number) => void): Responder {
  return {
    model: 'gpt-4o-mini',
    provider: 'test',
    async *stream() {
      for (const [i, chunk] of chunks.entries()) {
        onChunk?.(i);
        await Promise.resolve();
        yield chunk;
      }
      if (failWith) throw failWith;
    },
  };
}

function setup() {
  const store = new MemorySessionStore();
  const sm = new SessionManager({ store });
  return { store, sm };
}

async function allEvents(store: MemorySessionStore, sm: SessionManager) {
  const head = await store.getSession(sm.sessionId);
  return head ? store.getEvents(sm.sessionId) : [];
}

const text = (delta: string): ResponderChunk => ({ kind: 'text', delta });

describe('demo answer loop: a streamed reply recorded from its first chunk', () => {
  it('a request that fails before any chunk writes nothing and rethrows (the question waits with Retry)', async () => {
    const { store, sm } = setup();
    const failure = new Error('endpoint down');
    const responder = scripted([], failure);
    const run = streamAnswer(
      sm,
      responder,
      { text: 'hi', history: [] },
      openNewTurn(sm, store, responder, 'hi', undefined),
      {
        signal: new AbortController().signal,
      },
    );
    await expect(run).rejects.toBe(failure);
    expect(await allEvents(store, sm)).toEqual([]);
  });

  it('records the question, the tool calls made before the text (linked to the reply), then the reply with the usage', async () => {
    const { store, sm } = setup();
    const call = {
      toolCallId: 'c1',
      name: 'calculator',
      arguments: { expression: '6*7' },
      result: { value: 42 },
      error: null,
    };
    const responder = scripted([
      { kind: 'tool', call },
      text('It is '),
      text('42.'),
      { kind: 'usage', usage: { promptTokens: 30, completionTokens: 5, totalTokens: 35 } },
    ]);
    const reply = await streamAnswer(
      sm,
      responder,
      { text: 'what is 6*7?', history: [] },
      openNewTurn(sm, store, responder, 'what is 6*7?', undefined),
      {
        signal: new AbortController().signal,
      },
    );
    expect(reply?.status).toBe('complete');
    const events = await allEvents(store, sm);
    expect(events.map((e) => [e.source, e.type])).toEqual([
      ['user', 'message'],
      ['system', 'tool_call'],
      ['llm', 'message'],
    ]);
    expect(events[1]!.parentEventId).toBe(events[2]!.id);
    expect(events[2]!.message).toBe('It is 42.');
    expect(events[2]!.tokenUsage).toMatchObject({ completionTokens: 5, source: 'provider' });
    expect((await store.getSession(sm.conversationId))?.metadata.title).toBe('what is 6*7?');
  });

  it('a failure mid-stream keeps the part as aborted, with the reason scrubbed of secrets', async () => {
    const { store, sm } = setup();
    const responder = scripted(
      [text('Partial '), text('answer')],
      new Error('broke: Authorization: Bearer sk-abcdefghijklmnop'),
    );
    const run = streamAnswer(
      sm,
      responder,
      { text: 'hi', history: [] },
      openNewTurn(sm, store, responder, 'hi', undefined),
      {
        signal: new AbortController().signal,
      },
    );
    await expect(run).rejects.toBeInstanceOf(ReplyFailedError);
    const [question, reply] = await allEvents(store, sm);
    expect(question!.message).toBe('hi');
    expect(reply!.message).toBe('Partial answer');
    expect(reply!.reply?.status).toBe('aborted');
    expect(String(reply!.reply?.abortReason)).toContain('[redacted]');
    expect(String(reply!.reply?.abortReason)).not.toContain('sk-abcdefghijklmnop');
  });

  it('Stop mid-stream keeps the text so far ("Stopped"); Stop before any chunk writes nothing', async () => {
    const { store, sm } = setup();
    const controller = new AbortController();
    const responder: Responder = {
      model: 'gpt-4o-mini',
      provider: 'test',
      async *stream(request) {
        yield text('One ');
        controller.abort();
        if (request.signal?.aborted) throw new DOMException('stopped', 'AbortError');
        yield text('two');
      },
    };
    const reply = await streamAnswer(
      sm,
      responder,
      { text: 'hi', history: [] },
      openNewTurn(sm, store, responder, 'hi', undefined),
      {
        signal: controller.signal,
      },
    );
    expect(reply?.status).toBe('aborted');
    const events = await allEvents(store, sm);
    expect(events[1]).toMatchObject({
      message: 'One ',
      reply: { status: 'aborted', abortReason: 'Stopped' },
    });

    const fresh = setup();
    const early = new AbortController();
    early.abort();
    const none = await streamAnswer(
      fresh.sm,
      scripted([], new DOMException('stopped', 'AbortError')),
      { text: 'hi', history: [] },
      openNewTurn(fresh.sm, fresh.store, responder, 'hi', undefined),
      { signal: early.signal },
    );
    expect(none).toBeNull();
    expect(await allEvents(fresh.store, fresh.sm)).toEqual([]);
  });
});

describe('demo answer loop: reasoning', () => {
  it('streams the reasoning to onReasoning as it grows and stores it with the reply, before its text', async () => {
    const { store, sm } = setup();
    const responder = scripted([
      { kind: 'reasoning', delta: 'Think ' },
      { kind: 'reasoning', delta: 'first.' },
      text('Done.'),
    ]);
    const seen: string[] = [];
    const reply = await streamAnswer(
      sm,
      responder,
      { text: 'q', history: [] },
      openNewTurn(sm, store, responder, 'q', undefined),
      { signal: new AbortController().signal, onReasoning: (t) => seen.push(t) },
    );
    expect(reply?.status).toBe('complete');
    expect(seen).toEqual(['Think ', 'Think first.']);
    const [, answer] = await allEvents(store, sm);
    expect(answer!.message).toBe('Done.');
    expect(answer!.parts).toEqual([
      { type: 'reasoning', text: 'Think first.', state: 'done' },
      { type: 'text', text: 'Done.', state: 'done' },
    ]);
  });
});
