// Images, documents and thinking through the OpenAI and Anthropic converters, both ways, typed
// against the SDKs' own request params; a multi-turn Anthropic tool loop with extended thinking
// replays with its signatures intact, and reasoning is never sent as plain text.
import type Anthropic from '@anthropic-ai/sdk';
import {
  fromAnthropicMessages,
  fromOpenAIMessages,
  MemorySessionStore,
  toAnthropicMessages,
  toOpenAIMessages,
  toUIMessages,
} from '@ai-session-manager/core';
import { convertToModelMessages, validateUIMessages } from 'ai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';

const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF_B64 = btoa('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF');
const store = () => ({ store: new MemorySessionStore(), defaultModel: 'gpt-4o' });

describe('OpenAI: images, files and audio in user messages', () => {
  it('round-trip exactly, in order, with the image detail', async () => {
    const messages: ChatCompletionMessageParam[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}`, detail: 'low' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF_B64}`, filename: 'a.pdf' } },
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        ],
      },
      { role: 'assistant', content: 'Done.' },
    ];
    const sm = await fromOpenAIMessages(messages, store());
    const events = await sm.getEvents();
    const back: ChatCompletionMessageParam[] = toOpenAIMessages(events);
    expect(back).toEqual(messages);
    expect(events[0]!.message).toBe('Compare these.');
    // The images and the PDF count toward the context: the PNG by gpt-4o's low-detail base, the
    // remote image at the rule's largest size (estimated), the PDF's two pages (estimated).
    const usage = events[0]!.tokenUsage!;
    expect(usage.mediaTokens).toBeGreaterThan(85 + 2 * 1000);
    expect(usage.mediaEstimated).toBe(true);
    expect(usage.contextTokens).toBe(usage.promptTokens);
    // The context gauge counts them too.
    const gauge = await sm.getContextUsage({ model: 'gpt-4o' });
    expect(gauge.mediaTokens).toBe(usage.mediaTokens);
    expect(gauge.tokens).toBeGreaterThan(usage.mediaTokens!);
    // And the AI SDK's own validator takes the same message.
    const ui = toUIMessages(events);
    await validateUIMessages({ messages: ui });
    await convertToModelMessages(ui);
  });
});

describe('Anthropic: images, documents and thinking', () => {
  const loop: { system: string; messages: Anthropic.MessageParam[] } = {
    system: 'Be brief.',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_B64 } },
          {
            type: 'document',
            source: { type: 'base64', media_type: 'application/pdf', data: PDF_B64 },
            title: 'brief.pdf',
          },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain notes ✓' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/dog.png' } },
          { type: 'text', text: 'What do these show? Check the weather too.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should call the weather tool.', signature: 'sig-1' },
          { type: 'tool_use', id: 't1', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' }] },
      {
        role: 'assistant',
        content: [
          { type: 'redacted_thinking', data: 'opaque-redacted' },
          { type: 'thinking', thinking: 'Now the second call.', signature: 'sig-2' },
          { type: 'text', text: 'One more check.' },
          { type: 'tool_use', id: 't2', name: 'weather', input: { city: 'Oslo' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't2', content: 'cold' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Summarize.', signature: 'sig-3' },
          { type: 'text', text: 'A dot, a brief; Rome sunny, Oslo cold.' },
        ],
      },
    ],
  };

  it('a multi-turn tool loop with thinking replays exactly, signatures intact', async () => {
    const sm = await fromAnthropicMessages(loop, { ...store(), defaultModel: 'claude-sonnet-4-5' });
    const back = toAnthropicMessages(await sm.getEvents(), { systemPrompt: sm.systemPrompt });
    const request: Anthropic.MessageCreateParamsNonStreaming = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: back.messages,
      ...(back.system === undefined ? {} : { system: back.system }),
    };
    expect(request.messages).toEqual(loop.messages);
    expect(back.system).toBe('Be brief.');
  });

  it('reasoning goes to the AI SDK as reasoning parts with the signature; OpenAI gets none of it', async () => {
    const sm = await fromAnthropicMessages(loop, store());
    const events = await sm.getEvents();
    const ui = toUIMessages(events);
    await validateUIMessages({ messages: ui });
    const reasoning = ui.flatMap((m) => m.parts).filter((p) => p.type === 'reasoning');
    expect(reasoning.map((p) => p.providerMetadata)).toEqual([
      { anthropic: { signature: 'sig-1' } },
      { anthropic: { redactedData: 'opaque-redacted' } },
      { anthropic: { signature: 'sig-2' } },
      { anthropic: { signature: 'sig-3' } },
    ]);
    const openai = JSON.stringify(toOpenAIMessages(events));
    expect(openai).not.toContain('second call');
    expect(openai).not.toContain('sig-');
  });

  it('unsigned reasoning (another provider) is not sent to Anthropic as text', async () => {
    const { fromUIMessages } = await import('@ai-session-manager/core');
    const sm = await fromUIMessages(
      [
        { id: 'u', role: 'user', parts: [{ type: 'text', text: 'q' }] },
        {
          id: 'a',
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'secret plan' },
            { type: 'text', text: 'A.' },
          ],
        },
      ],
      store(),
    );
    const out = JSON.stringify(toAnthropicMessages(await sm.getEvents()));
    expect(out).not.toContain('secret plan');
    expect(out).toContain('A.');
  });
});
