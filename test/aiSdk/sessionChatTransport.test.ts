import { Chat } from '@ai-sdk/react';
import { loadChatMessages, SessionChatTransport } from '@ai-session-manager/ai-sdk';
import {
  DexieSessionStore,
  EventSource,
  EventType,
  MemorySessionStore,
  SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';
import {
  convertToModelMessages,
  type LanguageModelUsage,
  lastAssistantMessageIsCompleteWithToolCalls,
  type UIMessage,
} from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers';
import { type ScriptedModel, scriptedModel, textOf, textStep, toolStep } from './scriptedModel';

// SessionChatTransport around a scripted model, driven by the AI SDK's own Chat class.

function setup(
  model: ScriptedModel,
  options: Omit<SessionManagerOptions, 'store'> & { store?: SessionStore } = {},
  chatInit: Partial<ConstructorParameters<typeof Chat<UIMessage>>[0]> = {},
) {
  const { store = new MemorySessionStore(), ...managerOptions } = options;
  // The scripted model names no model in its stream: these tests price as gpt-4o-mini.
  const manager = new SessionManager({ store, defaultModel: 'gpt-4o-mini', ...managerOptions });
  const transport = new SessionChatTransport({ manager, transport: model });
  const chat = new Chat<UIMessage>({ id: manager.conversationId, transport, ...chatInit });
  return { manager, transport, chat, store };
}

const echo = (messages: UIMessage[]) => textStep(`You said: ${textOf(messages[messages.length - 1])}`);

/**
 * "Weather in Oslo?" answered with a client-side tool: the first request ends with the call, the
 * chat adds its output (addToolOutput) and sends again; resolves once both are stored.
 */
async function askWeather(finishMetadata?: unknown) {
  const model = scriptedModel(
    (_, request) =>
      request === 0
        ? toolStep('Let me look.', { toolCallId: 'w1', toolName: 'weather', input: { city: 'Oslo' } })
        : textStep('It is 3 °C in Oslo.'),
    { finishMetadata },
  );
  const { manager, transport, chat } = setup(
    model,
    {},
    {
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
      onToolCall: ({ toolCall }) => {
        void chat.addToolOutput({ tool: 'weather', toolCallId: toolCall.toolCallId, output: { celsius: 3 } });
      },
    },
  );
  await chat.sendMessage({ text: 'Weather in Oslo?' });
  await vi.waitFor(() => expect(model.requests).toHaveLength(2));
  await vi.waitFor(() => expect(chat.status).toBe('ready'));
  await transport.saved();
  return { manager, chat };
}

describe('SessionChatTransport', () => {
  it('records the model the response names in its metadata; with none named, unknown and unpriced', async () => {
    const named = scriptedModel(echo, { finishMetadata: { model: 'gpt-4o' } });
    const a = setup(named, { defaultModel: undefined });
    await a.chat.sendMessage({ text: 'hello' });
    await a.transport.saved();
    const [, reply] = await a.manager.getEvents();
    expect(reply!.tokenUsage).toMatchObject({ model: 'gpt-4o', source: 'counted' });
    expect(reply!.tokenUsage!.estimatedCostUsd).toBeGreaterThan(0);

    const unnamed = setup(scriptedModel(echo), { defaultModel: undefined });
    await unnamed.chat.sendMessage({ text: 'hello' });
    await unnamed.transport.saved();
    const events = await unnamed.manager.getEvents();
    expect(events.map((e) => e.tokenUsage?.model)).toEqual(['unknown', 'unknown']);
    expect(events.map((e) => e.tokenUsage?.estimatedCostUsd)).toEqual([null, null]);
    const stats = await unnamed.manager.getStats();
    expect(stats.unpricedTokens).toBe(stats.totalTokens);
    expect(stats.estimatedCost).toBe(0);
  });

  it('records the user message before the request and the answer, with tokens and cost', async () => {
    const model = scriptedModel(echo);
    const { manager, transport, chat } = setup(model);
    await chat.sendMessage({ text: 'hello' });
    await transport.saved();
    const events = await manager.getEvents();
    expect(events.map((e) => [e.source, e.message])).toEqual([
      [EventSource.USER, 'hello'],
      [EventSource.LLM, 'You said: hello'],
    ]);
    expect(events[1]!.metadata).toMatchObject({ uiMessageId: chat.messages[1]!.id, model: 'gpt-4o-mini' });
    expect(events[1]!.tokenUsage).toMatchObject({ source: 'counted', completionTokens: 4 });
    const stats = await manager.getStats();
    expect(stats).toMatchObject({ userMessages: 1, aiMessages: 1 });
    expect(stats.estimatedCost).toBeGreaterThan(0);
  });

  it('records provider usage sent as message metadata (toUIMessageStreamResponse messageMetadata)', async () => {
    const model = scriptedModel(echo, {
      finishMetadata: { usage: { inputTokens: 120, outputTokens: 7, totalTokens: 127 } },
    });
    const { manager, transport, chat } = setup(model);
    await chat.sendMessage({ text: 'hi' });
    await transport.saved();
    const [, answer] = await manager.getEvents();
    expect(answer!.tokenUsage).toMatchObject({
      source: 'provider',
      promptTokens: 120,
      completionTokens: 7,
      totalTokens: 127,
    });
    expect(
      (await loadChatMessages(manager.conversationId, { store: manager.store })).messages[1]!.metadata,
    ).toEqual({ usage: { inputTokens: 120, outputTokens: 7, totalTokens: 127 } });
  });

  it("records the SDK's token details: cache reads and writes, reasoning (LanguageModelUsage)", async () => {
    const usage: LanguageModelUsage = {
      inputTokens: 1000,
      inputTokenDetails: { noCacheTokens: 500, cacheReadTokens: 400, cacheWriteTokens: 100 },
      outputTokens: 60,
      outputTokenDetails: { textTokens: 20, reasoningTokens: 40 },
      totalTokens: 1060,
    };
    const model = scriptedModel(echo, { finishMetadata: { usage } });
    const { manager, transport, chat } = setup(model, { defaultModel: 'claude-3-5-haiku-latest' });
    await chat.sendMessage({ text: 'think' });
    await transport.saved();
    const [, answer] = await manager.getEvents();
    expect(answer!.tokenUsage).toMatchObject({
      promptTokens: 1000,
      cachedPromptTokens: 400,
      cacheWriteTokens: 100,
      completionTokens: 60,
      reasoningTokens: 40,
    });
    expect(await manager.getStats()).toMatchObject({ cachedPromptTokens: 400, reasoningTokens: 40 });
  });

  it('links a tool call to the text that asked for it, in order, and sends the tool output to the model', async () => {
    const model = scriptedModel((_, request) =>
      request === 0
        ? [
            ...toolStep('Computing.', {
              toolCallId: 'c1',
              toolName: 'calculator',
              input: { expression: '2+3' },
              output: { value: 5 },
            }),
            ...textStep('It is 5.'),
          ]
        : echo(_),
    );
    const { manager, transport, chat } = setup(model);
    await chat.sendMessage({ text: '2+3?' });
    await chat.sendMessage({ text: 'thanks' });
    await transport.saved();
    const events = await manager.getEvents();
    expect(events.map((e) => e.type)).toEqual([
      'message',
      'message',
      'tool_call',
      'message',
      'message',
      'message',
    ]);
    expect(events[2]!.parentEventId).toBe(events[1]!.id);
    expect(events[2]!.message).toMatchObject({ tool: 'calculator', toolCallId: 'c1', result: { value: 5 } });
    // The second request carried the first answer as stored, tool part included.
    const second = model.requests[1]!;
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[1]).toEqual(chat.messages[1]);
    expect((await convertToModelMessages(second)).map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
  });

  it("a multi-step reply is billed once: the message's usage covers its earlier steps' text too", async () => {
    const usage = { inputTokens: 200, outputTokens: 30, totalTokens: 230 };
    const model = scriptedModel(
      () => [
        ...toolStep('Let me compute that for you.', {
          toolCallId: 'c1',
          toolName: 'calculator',
          input: { expression: '6*7' },
          output: { value: 42 },
        }),
        ...textStep('It is 42.'),
      ],
      { finishMetadata: { usage } },
    );
    const { manager, transport, chat } = setup(model);
    await chat.sendMessage({ text: '6*7?' });
    await transport.saved();
    const texts = (await manager.getEvents()).filter(
      (e) => e.source === EventSource.LLM && e.type === 'message',
    );
    expect(texts.map((e) => e.message)).toEqual(['Let me compute that for you.', 'It is 42.']);
    // The first step's text was counted when its tool call started; the message's usage is the whole response.
    const first = texts[0]!.tokenUsage!;
    expect(first.completionTokens).toBeGreaterThan(0);
    expect(texts[1]!.tokenUsage).toMatchObject({
      source: 'provider',
      promptTokens: 200,
      completionTokens: 30 - first.completionTokens,
    });
    // The conversation's totals hold the response's completion tokens once.
    expect((await manager.getStats()).completionTokens).toBe(30);
  });

  it("a client tool's two requests are each billed with their own usage (the first response's text keeps its provider usage)", async () => {
    const usage = { inputTokens: 100, outputTokens: 8, totalTokens: 108 };
    const { manager } = await askWeather({ usage });
    const texts = (await manager.getEvents()).filter(
      (e) => e.source === EventSource.LLM && e.type === EventType.MESSAGE,
    );
    expect(texts.map((e) => e.message)).toEqual(['Let me look.', 'It is 3 °C in Oslo.']);
    expect(texts[0]!.tokenUsage).toMatchObject({
      source: 'provider',
      promptTokens: 100,
      completionTokens: 8,
    });
    // Each response's prompt billed once: both replies together 2 × 100.
    expect(texts.reduce((n, e) => n + e.tokenUsage!.promptTokens, 0)).toBe(200);
    expect(texts[1]!.tokenUsage).toMatchObject({
      source: 'provider',
      promptTokens: 100,
      completionTokens: 8,
    });
  });

  it('records a client-side tool output added with addToolOutput, then the continued answer', async () => {
    const { manager, chat } = await askWeather();
    expect(chat.messages).toHaveLength(2);
    const events = await manager.getEvents();
    expect(events.map((e) => (e.type === EventType.TOOL_CALL ? 'tool' : e.message))).toEqual([
      'Weather in Oslo?',
      'Let me look.',
      'tool',
      'It is 3 °C in Oslo.',
    ]);
    expect(events[2]!.parentEventId).toBe(events[1]!.id);
    expect(events.every((e) => e.metadata.uiMessageId === chat.messages[e.seq === 0 ? 0 : 1]!.id)).toBe(true);
    const stored = await loadChatMessages(manager.conversationId, { store: manager.store });
    expect(stored.messages).toEqual(chat.messages);
  });

  it('after a rollover sends system prompt, cumulative summary and the current segment, not the history', async () => {
    const model = scriptedModel(echo);
    const { manager, transport, chat } = setup(model, {
      infiniteContext: true,
      maxTurnsPerSegment: 4,
      systemPrompt: 'You are terse.',
      summarize: (messages, previous) =>
        `${previous ? `${previous} | ` : ''}${messages.map((m) => m.content).join(' / ')}`,
    });
    for (const text of ['one', 'two', 'three', 'four', 'five']) await chat.sendMessage({ text });
    await transport.saved();
    expect(await manager.getSessionChain()).toHaveLength(3);
    // The chat still shows everything.
    expect(chat.messages).toHaveLength(10);
    const first = model.requests[0]!;
    expect(first.map((m) => [m.role, textOf(m)])).toEqual([
      ['system', 'You are terse.'],
      ['user', 'one'],
    ]);
    const third = model.requests[2]!; // 'three' starts segment 2
    expect(third.map((m) => [m.role, textOf(m)])).toEqual([
      ['system', 'You are terse.'],
      ['system', 'Summary of the conversation so far:\none / You said: one / two / You said: two'],
      ['user', 'three'],
    ]);
    const fifth = model.requests[4]!; // 'five' starts segment 3: the summary is cumulative
    expect(fifth.map((m) => m.role)).toEqual(['system', 'system', 'user']);
    expect(textOf(fifth[1])).toBe(
      'Summary of the conversation so far:\none / You said: one / two / You said: two | three / You said: three / four / You said: four',
    );
    expect(textOf(fifth[2])).toBe('five');
    const modelMessages = await convertToModelMessages(fifth);
    expect(modelMessages.map((m) => m.role)).toEqual(['system', 'system', 'user']);
    // And the reply was recorded in the new segment.
    const stored = await loadChatMessages(manager.conversationId, { store: manager.store });
    expect(stored.messages).toEqual(chat.messages);
  });

  it("history: 'full' sends the chat's messages unchanged", async () => {
    const model = scriptedModel(echo);
    const manager = new SessionManager({
      store: new MemorySessionStore(),
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    const transport = new SessionChatTransport({ manager, transport: model, history: 'full' });
    const chat = new Chat<UIMessage>({ transport });
    await chat.sendMessage({ text: 'a' });
    await chat.sendMessage({ text: 'b' });
    expect(model.requests[1]!.map(textOf)).toEqual(['a', 'You said: a', 'b']);
  });

  it('saves the reply while it streams (beginResponse): another tab reads it growing, then complete, counted once', async () => {
    const name = uniqueDbName('ai-sdk-stream');
    const answer = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const model = scriptedModel(() => textStep(answer, 'long', 60), { delayMs: 15 });
    const { manager, transport, chat } = setup(model, { store: new DexieSessionStore({ name }) });
    const otherTab = new DexieSessionStore({ name });
    const sending = chat.sendMessage({ text: 'stream please' });
    // While the chat is still streaming, the store already holds part of the reply.
    const seen = await vi.waitFor(
      async () => {
        const { messages, events } = await loadChatMessages(manager.conversationId, { store: otherTab });
        const text = textOf(messages[1]);
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThan(answer.length);
        return { text, parts: messages[1]!.parts, status: events[1]!.reply?.status };
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(chat.status).toBe('streaming');
    expect(answer.startsWith(seen.text)).toBe(true);
    expect(seen.status).toBe('streaming');
    expect(seen.parts.at(-1)).toMatchObject({ type: 'text', state: 'streaming' });
    // Not counted while in flight.
    expect((await manager.getStats()).aiMessages).toBe(0);
    await sending;
    await transport.saved();
    const events = await manager.getEvents();
    expect(events[1]).toMatchObject({ message: answer, reply: { status: 'complete' } });
    expect(await manager.getStats()).toMatchObject({ aiMessages: 1, totalMessages: 2, totalEvents: 2 });
    const stored = await loadChatMessages(manager.conversationId, { store: otherTab });
    expect(stored.messages).toEqual(chat.messages);
  });

  it('a streamed step is finished as soon as its tool call starts, before the response ends', async () => {
    const model = scriptedModel(
      () => [
        ...toolStep('Looking it up now, one moment please.', {
          toolCallId: 't1',
          toolName: 'lookup',
          input: { q: 'x' },
          output: { found: true },
        }),
        ...textStep('Found it. '.repeat(30), 'after', 30),
      ],
      { delayMs: 10 },
    );
    const { manager, transport, chat } = setup(model);
    const sending = chat.sendMessage({ text: 'find x' });
    await vi.waitFor(
      async () => {
        const events = await manager.getEvents();
        expect(events.map((e) => [e.type, e.reply?.status])).toEqual([
          ['message', undefined],
          ['message', 'complete'],
          ['tool_call', undefined],
          ['message', 'streaming'],
        ]);
      },
      { timeout: 10_000, interval: 20 },
    );
    await sending;
    await transport.saved();
    const events = await manager.getEvents();
    expect(events.map((e) => e.reply?.status ?? 'none')).toEqual(['none', 'complete', 'none', 'complete']);
    expect(events[2]!.parentEventId).toBe(events[1]!.id);
    expect((await loadChatMessages(manager.conversationId, { store: manager.store })).messages).toEqual(
      chat.messages,
    );
  });

  it('stop() keeps the text so far as an aborted reply, equal to what the chat shows', async () => {
    const long = 'word '.repeat(200);
    const model = scriptedModel(() => textStep(long, 'long', 100), { delayMs: 5 });
    const { manager, transport, chat } = setup(model);
    const sending = chat.sendMessage({ text: 'talk' });
    await vi.waitFor(() => expect(textOf(chat.messages[1]).length).toBeGreaterThan(20));
    await chat.stop();
    await sending;
    await transport.saved();
    const events = await manager.getEvents();
    expect(events).toHaveLength(2);
    expect(events[1]!.reply?.status).toBe('aborted');
    expect(events[1]!.message).toBe(textOf(chat.messages[1]));
    expect((events[1]!.message as string).length).toBeLessThan(long.length);
  });

  it('a model error keeps the partial reply with the error, and the chat can go on', async () => {
    const model = scriptedModel((_, request) =>
      request === 0
        ? [
            { type: 'start-step' },
            { type: 'text-start', id: 't' },
            { type: 'text-delta', id: 't', delta: 'Half an ans' },
            { type: 'error', errorText: 'upstream overloaded' },
          ]
        : echo(_),
    );
    const { manager, transport, chat } = setup(model);
    await chat.sendMessage({ text: 'q1' });
    expect(chat.status).toBe('error');
    await transport.saved();
    await chat.sendMessage({ text: 'q2' });
    await transport.saved();
    const events = await manager.getEvents();
    expect(events.map((e) => e.message)).toEqual(['q1', 'Half an ans', 'q2', 'You said: q2']);
    expect(events[1]!.reply).toMatchObject({ status: 'aborted', abortReason: 'upstream overloaded' });
  });

  it("a model error's text goes through the manager's scrub before it is stored as the abort reason", async () => {
    const key = 'sk-proj-AbCdEf0123456789xyzAbCd';
    const model = scriptedModel(() => [
      { type: 'start-step' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Half an ans' },
      { type: 'error', errorText: `401 Incorrect API key provided: ${key}` },
    ]);
    const { manager, transport, chat } = setup(model, { scrub: (t) => t.replaceAll(key, '[redacted]') });
    await chat.sendMessage({ text: 'q1' });
    await transport.saved();
    const events = await manager.getEvents();
    expect(events[1]!.reply).toMatchObject({
      status: 'aborted',
      abortReason: '401 Incorrect API key provided: [redacted]',
    });
    expect(JSON.stringify(events)).not.toContain(key);
  });

  it('a second tab that loaded the conversation records only its own new messages', async () => {
    const name = uniqueDbName('ai-sdk-tabs');
    const tabA = setup(scriptedModel(echo), { store: new DexieSessionStore({ name }) });
    await tabA.chat.sendMessage({ text: 'from A' });
    await tabA.transport.saved();

    const storeB = new DexieSessionStore({ name });
    const stored = await loadChatMessages(tabA.manager.conversationId, { store: storeB });
    const managerB = await SessionManager.open(tabA.manager.conversationId, { store: storeB });
    const transportB = new SessionChatTransport({ manager: managerB, transport: scriptedModel(echo) });
    // No markStored: the transport reads what the conversation holds before its first request.
    const chatB = new Chat<UIMessage>({
      id: managerB.conversationId,
      messages: stored.messages,
      transport: transportB,
    });
    await chatB.sendMessage({ text: 'from B' });
    await transportB.saved();

    const events = await tabA.manager.getEvents();
    expect(events.map((e) => e.message)).toEqual([
      'from A',
      'You said: from A',
      'from B',
      'You said: from B',
    ]);
    const reloaded = await loadChatMessages(tabA.manager.conversationId, {
      store: new DexieSessionStore({ name }),
    });
    expect(reloaded.messages).toEqual(chatB.messages);
  });

  it('a failed write fails the request (chat.error), writes nothing out of order, and is retried', async () => {
    const store = new MemorySessionStore();
    const original = store.appendEvent.bind(store);
    let failures = 1;
    store.appendEvent = (...args) => {
      if (failures-- > 0) return Promise.reject(new Error('disk full'));
      return original(...args);
    };
    const errors: unknown[] = [];
    const model = scriptedModel(echo);
    const manager = new SessionManager({ store });
    const transport = new SessionChatTransport({ manager, transport: model, onError: (e) => errors.push(e) });
    const chat = new Chat<UIMessage>({ transport });
    await chat.sendMessage({ text: 'first' });
    expect(chat.status).toBe('error');
    expect(chat.error?.message).toBe('disk full');
    expect(errors.map(String)).toEqual(['Error: disk full']);
    expect(model.requests).toHaveLength(0);
    await chat.sendMessage({ text: 'second' });
    await transport.saved();
    expect((await manager.getEvents()).map((e) => e.message)).toEqual([
      'first',
      'second',
      'You said: second',
    ]);
    expect(model.requests[0]!.map(textOf)).toEqual(['first', 'second']);
  });
});

describe('SessionChatTransport with core branches', () => {
  it('regenerate() records the new reply as a version of the old one, which leaves the chat and the model request', async () => {
    const model = scriptedModel((_, request) => textStep(`reply #${request + 1}`));
    const { manager, transport, chat } = setup(model);
    await chat.sendMessage({ text: 'q' });
    await chat.regenerate();
    await transport.saved();
    expect(model.requests[1]!.map(textOf)).toEqual(['q']);
    expect(chat.messages.map(textOf)).toEqual(['q', 'reply #2']);
    const events = await manager.getEvents();
    expect(events.map((e) => e.message)).toEqual(['q', 'reply #1', 'reply #2']);
    expect(events[2]!.branch?.versionOf).toBe(events[1]!.id);
    const { versions, activeIndex } = await manager.getAlternatives(events[2]!.id);
    expect([versions.length, activeIndex]).toEqual([2, 1]);
    const stored = await loadChatMessages(manager.conversationId, { store: manager.store });
    expect(stored.messages).toEqual(chat.messages);
    // Switching back shows the first version, as core's readers do.
    await manager.selectAlternative(events[1]!.id);
    expect(
      (await loadChatMessages(manager.conversationId, { store: manager.store })).messages.map(textOf),
    ).toEqual(['q', 'reply #1']);
  });

  it('sendMessage({ messageId }) records the edit as a new version; what followed stays on the old branch', async () => {
    const model = scriptedModel(echo);
    const { manager, transport, chat } = setup(model);
    await chat.sendMessage({ text: 'first' });
    await chat.sendMessage({ text: 'second' });
    const secondId = chat.messages[2]!.id;
    await chat.sendMessage({ text: 'second, edited', messageId: secondId });
    await transport.saved();
    expect(chat.messages.map(textOf)).toEqual([
      'first',
      'You said: first',
      'second, edited',
      'You said: second, edited',
    ]);
    expect(model.requests[2]!.map(textOf)).toEqual(['first', 'You said: first', 'second, edited']);
    const stored = await loadChatMessages(manager.conversationId, { store: manager.store });
    expect(stored.messages).toEqual(chat.messages);
    const events = await manager.getEvents();
    const edit = events.find((e) => e.message === 'second, edited')!;
    expect(edit).toMatchObject({ metadata: { uiMessageId: secondId }, branch: { versionOf: events[2]!.id } });
    expect((await manager.getConversation()).map((t) => t.content)).toEqual([
      'first',
      'You said: first',
      'second, edited',
      'You said: second, edited',
    ]);
  });
});

describe('SessionChatTransport leaves the chat its own (issue 22)', () => {
  it("reply ids come from the chat's generateId, in the chat and in the store", async () => {
    let n = 0;
    const generateId = () => `chat-id-${++n}`;
    const store = new MemorySessionStore();
    const manager = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
    const transport = new SessionChatTransport({ manager, transport: scriptedModel(echo), generateId });
    const chat = new Chat<UIMessage>({ id: manager.conversationId, transport, generateId });
    await chat.sendMessage({ text: 'hello' });
    await transport.saved();
    const reply = chat.messages[1]!;
    expect(reply.id).toMatch(/^chat-id-\d+$/);
    const stored = await loadChatMessages(manager.conversationId, { store });
    expect(stored.messages.map((m) => m.id)).toEqual(chat.messages.map((m) => m.id));
  });

  it('a request that continues an assistant message does not change the objects the chat passed', async () => {
    const store = new MemorySessionStore();
    const manager = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
    const transport = new SessionChatTransport({
      manager,
      transport: scriptedModel(() => textStep('It is 3 °C.')),
    });
    const messages: UIMessage[] = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo?' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'text', text: 'Let me look.', state: 'done' },
          {
            type: 'tool-weather',
            toolCallId: 'w1',
            state: 'output-available',
            input: { city: 'Oslo' },
            output: { celsius: 3 },
          },
        ],
      },
    ];
    const before = structuredClone(messages);
    const stream = await transport.sendMessages({
      trigger: 'submit-message',
      chatId: manager.conversationId,
      messageId: undefined,
      messages,
      abortSignal: undefined,
    });
    const reader = stream.getReader();
    while (!(await reader.read()).done) {
      // drain: the chat would read it
    }
    await transport.saved();
    expect(messages).toEqual(before);
    const stored = await loadChatMessages(manager.conversationId, { store });
    expect(
      stored.messages
        .at(-1)!
        .parts.filter((p) => p.type === 'text')
        .map((p) => (p as { text: string }).text),
    ).toEqual(['Let me look.', 'It is 3 °C.']);
  });
});

describe('loadChatMessages after a reload mid-reply (issue 22)', () => {
  it('says which replies were interrupted (their tab closed mid-reply)', async () => {
    const store = new MemorySessionStore();
    const manager = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
    await manager.userSays('Tell me a story', { uiMessageId: 'u1' });
    const head = (await store.getHead(manager.conversationId))!;
    await store.appendEvent(head.id, {
      id: 'cut',
      timestamp: new Date().toISOString(),
      source: EventSource.LLM,
      type: EventType.MESSAGE,
      message: 'Once upon',
      metadata: { model: 'gpt-4o-mini', uiMessageId: 'a1' },
      reply: { status: 'streaming', leaseUntil: Date.now() - 1, owner: 'a closed tab' },
    });
    const loaded = await loadChatMessages(manager.conversationId, { store });
    expect(loaded.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
    expect(loaded.interrupted).toEqual(['a1']);
    const done = new SessionManager({ store: new MemorySessionStore(), defaultModel: 'gpt-4o-mini' });
    await done.userSays('hi');
    expect((await loadChatMessages(done.conversationId, { store: done.store })).interrupted).toEqual([]);
  });
});
