// The user scenario: a user message with an image and a PDF, an assistant message with
// reasoning, sources and a data part, stored with fromUIMessages and read back after reopening.
// It must come back exactly (ids, metadata, every part), and pass the AI SDK's own validators.
import { fromUIMessages, SessionManager, toOpenAIMessages, toUIMessages } from '@ai-session-manager/core';
import { convertToModelMessages, type UIMessage, validateUIMessages } from 'ai';
import { describe, expect, it } from 'vitest';
import { dexieFactory } from '../../helpers.ts';

// A real 1×1 PNG and a minimal PDF, as data URLs.
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF = `data:application/pdf;base64,${btoa('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF')}`;

const transcript: UIMessage[] = [
  {
    id: 'u1',
    role: 'user',
    metadata: { sentFrom: 'composer' },
    parts: [
      { type: 'text', text: 'What is in these?' },
      { type: 'file', mediaType: 'image/png', filename: 'dot.png', url: PNG },
      { type: 'file', mediaType: 'application/pdf', filename: 'brief.pdf', url: PDF },
    ],
  },
  {
    id: 'a1',
    role: 'assistant',
    metadata: { model: 'claude-sonnet-4-5' },
    parts: [
      { type: 'step-start' },
      {
        type: 'reasoning',
        text: 'The image is one pixel; the PDF has one page.',
        state: 'done',
        providerMetadata: { anthropic: { signature: 'sig-abc' } },
      },
      { type: 'text', text: 'A dot and a one-page brief.', state: 'done', providerMetadata: { x: { y: 1 } } },
      { type: 'source-url', sourceId: 's1', url: 'https://example.com/dot', title: 'Dots' },
      {
        type: 'source-document',
        sourceId: 's2',
        mediaType: 'application/pdf',
        title: 'Brief',
        filename: 'brief.pdf',
      },
      { type: 'data-weather', id: 'w1', data: { city: 'Rome', tempC: 25 } },
    ],
  },
];

async function storedAndReopened(messages: UIMessage[]): Promise<UIMessage[]> {
  const store = dexieFactory.create();
  const sm = await fromUIMessages(messages, { store });
  const reopened = new SessionManager({ store: dexieFactory.reopen(store), sessionId: sm.sessionId });
  await reopened.ready();
  return toUIMessages(await reopened.getEvents()) as UIMessage[];
}

describe('UIMessages are stored exactly (fromUIMessages → reopen → toUIMessages)', () => {
  it('images, files, reasoning with its signature, sources and data parts come back with their ids and metadata', async () => {
    await validateUIMessages({ messages: transcript });
    const back = await storedAndReopened(transcript);
    expect(back).toEqual(transcript);
    await validateUIMessages({ messages: back });
    const model = await convertToModelMessages(back);
    const user = model.find((m) => m.role === 'user');
    expect(JSON.stringify(user)).toContain('image/png');
  });

  it('every tool state, dynamic tools and approvals are kept, in order, across steps', async () => {
    const messages: UIMessage[] = [
      { id: 'u', role: 'user', parts: [{ type: 'text', text: 'go' }] },
      {
        id: 'a',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'reasoning', text: 'plan', state: 'done' },
          {
            type: 'tool-search',
            toolCallId: 'c1',
            state: 'output-available',
            input: { q: 'x' },
            output: ['r'],
          },
          { type: 'tool-fail', toolCallId: 'c2', state: 'output-error', input: {}, errorText: 'boom' },
          { type: 'step-start' },
          { type: 'text', text: 'Need approval.', state: 'done' },
          {
            type: 'tool-delete',
            toolCallId: 'c3',
            state: 'approval-requested',
            input: { id: 7 },
            approval: { id: 'ap1' },
          },
          {
            type: 'tool-wipe',
            toolCallId: 'c4',
            state: 'output-denied',
            input: {},
            approval: { id: 'ap2', approved: false, reason: 'no' },
          },
          { type: 'tool-later', toolCallId: 'c5', state: 'input-available', input: { n: 1 } },
          {
            type: 'dynamic-tool',
            toolName: 'mcp_lookup',
            toolCallId: 'c6',
            state: 'output-available',
            input: {},
            output: 'ok',
            callProviderMetadata: { openai: { itemId: 'i1' } },
          },
          { type: 'source-url', sourceId: 's', url: 'https://example.com' },
        ],
      },
    ];
    const back = await storedAndReopened(messages);
    expect(back).toEqual(messages);
    await validateUIMessages({ messages: back });
    await convertToModelMessages(back);
  });

  it('an assistant message with reasoning only, and one ending in a tool call then a source, round-trip', async () => {
    const messages: UIMessage[] = [
      { id: 'u', role: 'user', parts: [{ type: 'text', text: 'think' }] },
      { id: 'a', role: 'assistant', parts: [{ type: 'step-start' }, { type: 'reasoning', text: 'hmm' }] },
      { id: 'u2', role: 'user', parts: [{ type: 'file', mediaType: 'image/png', url: PNG }] },
      {
        id: 'a2',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'tool-t', toolCallId: 'c', state: 'output-available', input: {}, output: 1 },
          { type: 'source-url', sourceId: 's', url: 'https://e.com' },
        ],
      },
    ];
    expect(await storedAndReopened(messages)).toEqual(messages);
  });

  it('the text stays what is counted and sent: the image reaches the model request, the text is the message', async () => {
    const store = dexieFactory.create();
    const sm = await fromUIMessages(transcript, { store });
    const events = await sm.getEvents();
    expect(events[0]!.message).toBe('What is in these?');
    expect(events[1]!.message).toBe('A dot and a one-page brief.');
    expect(JSON.stringify(toOpenAIMessages(events))).toContain('What is in these?');
  });

  it('bad parts are refused with their path, and nothing is written', async () => {
    const store = dexieFactory.create();
    const bad = [
      {
        id: 'u',
        role: 'user',
        parts: [
          { type: 'text', text: 'hi' },
          { type: 'file', mediaType: 'image/png', url: PNG, when: new Date() },
        ],
      },
    ];
    await expect(fromUIMessages(bad as never, { store })).rejects.toMatchObject({
      name: 'InvalidInputError',
      path: expect.stringContaining('messages[0].parts'),
    });
    expect(await store.listConversations()).toEqual([]);
    const sm = new SessionManager({ store });
    await expect(sm.userSays('x', {}, { parts: [{ text: 'no type' }] as never })).rejects.toThrow(/type/);
    await expect(sm.userSays('x', {}, { parts: 'nope' as never })).rejects.toThrow(/array/);
  });
});
