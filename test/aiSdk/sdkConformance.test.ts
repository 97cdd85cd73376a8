import { Chat } from '@ai-sdk/react';
import { loadChatMessages, SessionChatTransport, storedUIMessages } from '@ai-session-manager/ai-sdk';
import {
  DexieSessionStore,
  fromUIMessages,
  MemorySessionStore,
  SessionManager,
  type SessionStore,
  toUIMessages,
} from '@ai-session-manager/core';
import {
  convertToModelMessages,
  type InferUITools,
  readUIMessageStream,
  tool,
  type UIDataTypes,
  type UIMessage,
  type UIMessageChunk,
  validateUIMessages,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uniqueDbName } from '../helpers';
import { chunkStream, scriptedModel, textStep, toolStep } from './scriptedModel';

// Real checks against the installed AI SDK (ai, @ai-sdk/react): messages the SDK itself
// produces (its Chat class and readUIMessageStream over a synthetic UIMessageChunk stream) go
// into our store and come back equal; what we produce passes the SDK's validateUIMessages and
// converts with its convertToModelMessages.

const calculator = tool({
  description: 'Evaluate an arithmetic expression',
  inputSchema: z.object({ expression: z.string() }),
  outputSchema: z.object({ value: z.number() }),
});
const tools = { calculator };
type CalculatorMessage = UIMessage<unknown, UIDataTypes, InferUITools<typeof tools>>;

/** A response the SDK streams: text, a tool call (input streamed, then its output), then an answer. */
const TOOL_RESPONSE: UIMessageChunk[] = [
  ...toolStep('Let me compute that.', {
    toolCallId: 'call-1',
    toolName: 'calculator',
    input: { expression: '6 * 7' },
    output: { value: 42 },
  }),
  ...textStep('6 × 7 = 42.', 'answer'),
];

/** What the SDK's own readUIMessageStream makes of a chunk stream: its last snapshot. */
async function sdkMessage(chunks: UIMessageChunk[]): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream: chunkStream(chunks) })) last = message;
  return last!;
}

/** Run one exchange through the SDK's Chat with our transport around `model`. */
async function chatOnce(chunks: UIMessageChunk[], store: SessionStore = new MemorySessionStore()) {
  const manager = new SessionManager({ store });
  const transport = new SessionChatTransport({ manager, transport: scriptedModel(() => chunks) });
  const chat = new Chat({ id: manager.conversationId, transport });
  await chat.sendMessage({ text: 'What is 6 times 7?' });
  await transport.saved();
  return { chat, manager, store };
}

describe('messages the AI SDK produced, through our store and back', () => {
  it('a streamed response with text, a tool call and an answer comes back equal (Chat and readUIMessageStream)', async () => {
    const name = uniqueDbName('ai-sdk');
    const { chat, manager } = await chatOnce(
      [{ type: 'start', messageId: 'msg-1' }, ...TOOL_RESPONSE],
      new DexieSessionStore({ name }),
    );
    expect(chat.status).toBe('ready');
    const [user, assistant] = chat.messages;
    expect(assistant).toEqual({ ...(await sdkMessage(TOOL_RESPONSE)), id: 'msg-1' });
    expect(assistant!.parts.map((p) => p.type)).toEqual([
      'step-start',
      'text',
      'tool-calculator',
      'step-start',
      'text',
    ]);

    // A reload: a new store handle on the same IndexedDB database.
    const reloaded = await loadChatMessages(manager.conversationId, {
      store: new DexieSessionStore({ name }),
    });
    expect(reloaded.messages).toEqual([user, assistant]);
    expect(reloaded.messages.map((m) => m.id)).toEqual(chat.messages.map((m) => m.id));
  });

  it('a failed tool call (output-error) comes back equal', async () => {
    const chunks: UIMessageChunk[] = [
      ...toolStep('Trying.', {
        toolCallId: 'call-err',
        toolName: 'calculator',
        input: { expression: '1 / 0' },
        errorText: 'division by zero',
      }),
      ...textStep('That cannot be computed.'),
    ];
    const { chat, manager, store } = await chatOnce(chunks);
    const stored = await loadChatMessages(manager.conversationId, { store });
    expect(stored.messages).toEqual(chat.messages);
    expect(stored.messages[1]!.parts[2]).toMatchObject({
      state: 'output-error',
      errorText: 'division by zero',
    });
  });

  it('two tool-only steps in a row stay two steps (core stepId convention)', async () => {
    const toolOnly = (id: string, expression: string, value: number): UIMessageChunk[] => [
      { type: 'start-step' },
      { type: 'tool-input-available', toolCallId: id, toolName: 'calculator', input: { expression } },
      { type: 'tool-output-available', toolCallId: id, output: { value } },
      { type: 'finish-step' },
    ];
    const chunks = [...toolOnly('s1', '1+1', 2), ...toolOnly('s2', '2+2', 4), ...textStep('2 and 4.')];
    const { chat, manager, store } = await chatOnce(chunks);
    expect(chat.messages[1]!.parts.map((p) => p.type)).toEqual([
      'step-start',
      'tool-calculator',
      'step-start',
      'tool-calculator',
      'step-start',
      'text',
    ]);
    const stored = await loadChatMessages(manager.conversationId, { store });
    expect(stored.messages).toEqual(chat.messages);
  });

  it('what we produce passes validateUIMessages (with tool schemas) and convertToModelMessages', async () => {
    const { manager, store } = await chatOnce(TOOL_RESPONSE);
    const { messages } = await loadChatMessages<CalculatorMessage>(manager.conversationId, { store });
    await expect(validateUIMessages<CalculatorMessage>({ messages, tools })).resolves.toEqual(messages);
    const model = await convertToModelMessages(messages, { tools });
    expect(model.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(model[1]!.content).toEqual([
      { type: 'text', text: 'Let me compute that.' },
      { type: 'tool-call', toolCallId: 'call-1', toolName: 'calculator', input: { expression: '6 * 7' } },
    ]);
    expect(model[2]!.content).toEqual([
      expect.objectContaining({
        type: 'tool-result',
        toolCallId: 'call-1',
        toolName: 'calculator',
        output: { type: 'json', value: { value: 42 } },
      }),
    ]);
  });

  it('storedUIMessages of events recorded by core alone (no chat ids) also validate and convert', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store });
    await sm.userSays('What is 2 + 2?');
    await sm.aiResponds('Let me check.', { eventId: 'a1' });
    await sm.toolUsed(
      'calculator',
      { expression: '2 + 2' },
      { value: 4 },
      { parentEventId: 'a1', toolCallId: 'c1' },
    );
    await sm.aiResponds('It is 4.');
    const messages = storedUIMessages<CalculatorMessage>(await sm.getEvents());
    await expect(validateUIMessages<CalculatorMessage>({ messages, tools })).resolves.toHaveLength(2);
    const model = await convertToModelMessages(messages, { tools });
    expect(model.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  // Core's own converters alone give an SDK-made message back equal: step-start parts, text state.
  it('core alone: fromUIMessages → toUIMessages of an SDK message is equal (step-start, text state)', async () => {
    const assistant = await sdkMessage(TOOL_RESPONSE);
    const user: UIMessage = { id: 'u', role: 'user', parts: [{ type: 'text', text: 'What is 6 times 7?' }] };
    const sm = await fromUIMessages([user, assistant], { store: new MemorySessionStore() });
    const back = toUIMessages(await sm.getEvents());
    expect(back.map((m) => ({ ...m, id: '' }))).toEqual([user, assistant].map((m) => ({ ...m, id: '' })));
  });

  // Recorded with core's `dynamicTool` metadata (fromUIMessages' convention), so core gives the part back.
  it('a dynamic tool call comes back as a dynamic-tool part', async () => {
    const chunks: UIMessageChunk[] = [
      { type: 'start-step' },
      { type: 'tool-input-start', toolCallId: 'd1', toolName: 'search', dynamic: true },
      {
        type: 'tool-input-available',
        toolCallId: 'd1',
        toolName: 'search',
        input: { q: 'x' },
        dynamic: true,
      },
      { type: 'tool-output-available', toolCallId: 'd1', output: { hits: 1 }, dynamic: true },
      { type: 'finish-step' },
      ...textStep('One hit.'),
    ];
    const { chat, manager, store } = await chatOnce(chunks);
    expect(chat.messages[1]!.parts[1]).toMatchObject({ type: 'dynamic-tool', toolName: 'search' });
    const stored = await loadChatMessages(manager.conversationId, { store });
    expect(stored.messages).toEqual(chat.messages);
  });
});
