// The converters against the installed SDKs: the AI SDK's own validator and converter accept
// toUIMessages output, and transcripts as the SDKs make them round-trip exactly through
// from…Messages → to…Messages (and are stable on a second pass).
import type Anthropic from '@anthropic-ai/sdk';
import {
  fromAnthropicMessages,
  fromOpenAIMessages,
  fromUIMessages,
  MemorySessionStore,
  type SessionManager,
  toAnthropicMessages,
  toOpenAIMessages,
  toUIMessages,
} from '@ai-session-manager/core';
import { convertToModelMessages, type UIMessage, validateUIMessages } from 'ai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';

const events = (sm: SessionManager) => sm.getEvents();
const store = () => ({ store: new MemorySessionStore() });

async function openAIRoundTrip(messages: ChatCompletionMessageParam[]): Promise<void> {
  const sm = await fromOpenAIMessages(messages, store());
  const once = toOpenAIMessages(await events(sm), { systemPrompt: sm.systemPrompt });
  expect(once).toEqual(messages);
  const again = await fromOpenAIMessages(once, store());
  expect(toOpenAIMessages(await events(again), { systemPrompt: again.systemPrompt })).toEqual(once);
}

async function anthropicRoundTrip(request: {
  system?: string;
  messages: Anthropic.MessageParam[];
}): Promise<void> {
  const sm = await fromAnthropicMessages(request, store());
  const once = toAnthropicMessages(await events(sm), { systemPrompt: sm.systemPrompt });
  expect(once).toEqual(request);
  const again = await fromAnthropicMessages(once, store());
  expect(toAnthropicMessages(await events(again), { systemPrompt: again.systemPrompt })).toEqual(once);
}

const withoutIds = (messages: readonly { id: string }[]) => messages.map(({ id: _id, ...rest }) => rest);

async function uiRoundTrip(messages: UIMessage[]): Promise<void> {
  await validateUIMessages({ messages });
  const sm = await fromUIMessages(messages, store());
  const once = toUIMessages(await events(sm), { systemPrompt: sm.systemPrompt });
  expect(withoutIds(once)).toEqual(withoutIds(messages));
  await validateUIMessages({ messages: once });
  await convertToModelMessages(once);
  const again = await fromUIMessages(once, store());
  expect(withoutIds(toUIMessages(await events(again), { systemPrompt: again.systemPrompt }))).toEqual(
    withoutIds(once),
  );
}

describe('OpenAI Chat Completions transcripts round-trip exactly', () => {
  it('a plain-text tool result stays text (not JSON-quoted), JSON results stay JSON', async () => {
    await openAIRoundTrip([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Rome?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
          { id: 'call_2', type: 'function', function: { name: 'forecast', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 25C' },
      { role: 'tool', tool_call_id: 'call_2', content: '{"tomorrow":"rain"}' },
      { role: 'assistant', content: 'Sunny, 25C; rain tomorrow.' },
    ]);
  });

  it('text that merely looks like JSON comes back exactly as sent', async () => {
    await openAIRoundTrip([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'echo', arguments: '{}' } },
          { id: 'b', type: 'function', function: { name: 'echo', arguments: '{}' } },
          { id: 'c', type: 'function', function: { name: 'echo', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: '"quoted"' },
      { role: 'tool', tool_call_id: 'b', content: '{ "spaced": 1 }' },
      { role: 'tool', tool_call_id: 'c', content: '42' },
    ]);
  });

  it('consecutive tool-only steps stay separate steps', async () => {
    await openAIRoundTrip([
      { role: 'user', content: 'Plan a trip.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'flights', arguments: '{"to":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{"price":120}' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c2', type: 'function', function: { name: 'hotels', arguments: '{"in":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c2', content: '{"price":80}' },
      { role: 'assistant', content: '200 in all.' },
    ]);
  });

  it('custom tool calls ({ type: "custom", custom: { name, input } }) are accepted and kept', async () => {
    await openAIRoundTrip([
      { role: 'user', content: 'Run it.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'cu1', type: 'custom', custom: { name: 'shell', input: 'ls -la' } }],
      },
      { role: 'tool', tool_call_id: 'cu1', content: 'total 0' },
      { role: 'assistant', content: 'Empty.' },
    ]);
  });

  it('a refusal-only assistant message keeps its refusal text', async () => {
    const sm = await fromOpenAIMessages(
      [
        { role: 'user', content: 'Something bad.' },
        { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
      ],
      store(),
    );
    expect((await sm.getConversation()).map((t) => t.content)).toEqual([
      'Something bad.',
      'I cannot help with that.',
    ]);
    await openAIRoundTrip([
      { role: 'user', content: 'Something bad.' },
      { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
    ]);
  });
});

describe('Anthropic Messages transcripts round-trip exactly', () => {
  it('plain-text tool results and consecutive tool-only steps', async () => {
    await anthropicRoundTrip({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Plan a trip.' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'flights', input: { to: 'Rome' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'cheapest: 120 EUR' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't2', name: 'hotels', input: { in: 'Rome' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't2', content: '{"price":80}' }] },
        { role: 'assistant', content: '200 in all.' },
      ],
    });
  });
});

describe('AI SDK UIMessages', () => {
  it('toUIMessages output passes validateUIMessages and convertToModelMessages; assistant messages start with step-start', async () => {
    const sm = await fromOpenAIMessages(
      [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [{ id: 'w1', type: 'function', function: { name: 'weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'w1', content: 'sunny, 25C' },
        { role: 'assistant', content: 'Sunny.' },
      ],
      store(),
    );
    const ui = toUIMessages(await events(sm));
    await validateUIMessages({ messages: ui });
    const model = await convertToModelMessages(ui);
    expect(model.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    const assistant = ui.filter((m) => m.role === 'assistant');
    expect(assistant.length).toBe(1);
    expect(assistant[0]!.parts[0]).toEqual({ type: 'step-start' });
    expect(assistant[0]!.parts).toEqual([
      { type: 'step-start' },
      { type: 'text', text: 'Checking.', state: 'done' },
      { type: 'tool-weather', toolCallId: 'w1', state: 'output-available', input: {}, output: 'sunny, 25C' },
      { type: 'step-start' },
      { type: 'text', text: 'Sunny.', state: 'done' },
    ]);
  });

  it('an SDK-made multi-step message: tool-only steps stay apart, dynamic tools stay dynamic', async () => {
    await uiRoundTrip([
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Plan a trip.' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          {
            type: 'tool-flights',
            toolCallId: 'c1',
            state: 'output-available',
            input: { to: 'Rome' },
            output: 'cheapest: 120',
          },
          { type: 'step-start' },
          {
            type: 'dynamic-tool',
            toolName: 'mcp_hotels',
            toolCallId: 'c2',
            state: 'output-available',
            input: { in: 'Rome' },
            output: { price: 80 },
          },
          { type: 'step-start' },
          { type: 'tool-cars', toolCallId: 'c3', state: 'output-error', input: {}, errorText: 'no cars' },
          { type: 'step-start' },
          { type: 'text', text: '200 in all.', state: 'done' },
        ],
      },
    ]);
  });
});
