// Our converters' output types against the SDKs' own request types: checked by `pnpm typecheck`
// (tsc over test/), and at run time the assignments are simply made.
import type Anthropic from '@anthropic-ai/sdk';
import {
  type fromAnthropicMessages,
  type fromOpenAIMessages,
  type fromUIMessages,
  MemorySessionStore,
  SessionAwareToolProcessor,
  SessionManager,
  toAnthropicMessages,
  toOpenAIMessages,
  toUIMessages,
} from '@ai-session-manager/core';
import type { UIMessage as SdkUIMessage } from 'ai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('converter output types fit the SDKs', () => {
  it('toOpenAIMessages → ChatCompletionMessageParam[]; toAnthropicMessages → MessageParam[] and system; toUIMessages → UIMessage[]', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('q');
    await new SessionAwareToolProcessor({ manager: sm, tools: { t: () => 'ok' } }).processLLMMessage({
      content: 'calling',
      tool_calls: [{ id: 'c', type: 'function', function: { name: 't', arguments: '{}' } }],
    });
    const events = await sm.getEvents();

    const openai: ChatCompletionMessageParam[] = toOpenAIMessages(events, { systemPrompt: 's' });
    expectTypeOf(toOpenAIMessages(events)).toExtend<ChatCompletionMessageParam[]>();
    type OurToolCall = NonNullable<
      Extract<ReturnType<typeof toOpenAIMessages>[number], { role: 'assistant' }>['tool_calls']
    >[number];
    expectTypeOf<OurToolCall>().toExtend<ChatCompletionMessageToolCall>();

    const { system, messages } = toAnthropicMessages(events, { systemPrompt: 's' });
    const anthropicMessages: Anthropic.MessageParam[] = messages;
    const anthropicSystem: Anthropic.MessageCreateParams['system'] = system;
    expectTypeOf(messages).toExtend<Anthropic.MessageParam[]>();
    const request: Anthropic.MessageCreateParamsNonStreaming = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages,
      ...(system === undefined ? {} : { system }),
    };

    const ui: SdkUIMessage[] = toUIMessages(events);
    expectTypeOf(toUIMessages(events)).toExtend<SdkUIMessage[]>();

    // And the SDKs' own message arrays are accepted as from…Messages input.
    expectTypeOf<ChatCompletionMessageParam[]>().toExtend<Parameters<typeof fromOpenAIMessages>[0]>();
    expectTypeOf<{ system?: string; messages: Anthropic.MessageParam[] }>().toExtend<
      Parameters<typeof fromAnthropicMessages>[0]
    >();
    expectTypeOf<SdkUIMessage[]>().toExtend<Parameters<typeof fromUIMessages>[0]>();

    expect(openai.length).toBe(4);
    expect(anthropicMessages.length).toBe(3);
    expect(anthropicSystem).toBe('s');
    expect(request.messages).toBe(messages);
    expect(ui.length).toBe(2);
  });
});
