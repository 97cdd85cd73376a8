// Through the AI SDK's own Chat: a user message with an image and a PDF, a reply that streams
// reasoning (with Anthropic's signature), sources, a data part and a file. Everything the chat
// shows is stored: after a reload the conversation reads back as the chat held it.
import { Chat } from '@ai-sdk/react';
import { loadChatMessages, SessionChatTransport } from '@ai-session-manager/ai-sdk';
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import { convertToModelMessages, type UIMessage, type UIMessageChunk, validateUIMessages } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers';
import { scriptedModel } from './scriptedModel';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF = `data:application/pdf;base64,${btoa('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF')}`;

const richStep = (withTool: boolean): UIMessageChunk[] => [
  { type: 'start-step' },
  { type: 'reasoning-start', id: 'r1' },
  { type: 'reasoning-delta', id: 'r1', delta: 'Looking at ' },
  { type: 'reasoning-delta', id: 'r1', delta: 'the image.' },
  { type: 'reasoning-end', id: 'r1', providerMetadata: { anthropic: { signature: 'sig-1' } } },
  ...(withTool
    ? ([
        { type: 'tool-input-available', toolCallId: 'c1', toolName: 'lookup', input: { q: 'dot' } },
        { type: 'tool-output-available', toolCallId: 'c1', output: { hits: 1 } },
        { type: 'finish-step' },
        { type: 'start-step' },
      ] satisfies UIMessageChunk[])
    : []),
  { type: 'text-start', id: 't1' },
  { type: 'text-delta', id: 't1', delta: 'A single ' },
  { type: 'text-delta', id: 't1', delta: 'dot.' },
  { type: 'text-end', id: 't1' },
  { type: 'source-url', sourceId: 's1', url: 'https://example.com/dots', title: 'Dots' },
  { type: 'source-document', sourceId: 's2', mediaType: 'application/pdf', title: 'Brief' },
  { type: 'data-weather', id: 'w1', data: { city: 'Rome', tempC: 25 } },
  { type: 'file', url: PNG, mediaType: 'image/png' },
  { type: 'finish-step' },
];

async function chatOnce(withTool: boolean) {
  const name = uniqueDbName('lossless');
  const store = new DexieSessionStore({ name });
  const manager = new SessionManager({ store, defaultModel: 'claude-sonnet-4-5' });
  const model = scriptedModel(() => richStep(withTool), { delayMs: 2 });
  const transport = new SessionChatTransport({ manager, transport: model });
  const chat = new Chat<UIMessage>({ id: manager.conversationId, transport });
  await chat.sendMessage({
    text: 'What is this?',
    files: [
      { type: 'file', mediaType: 'image/png', filename: 'dot.png', url: PNG },
      { type: 'file', mediaType: 'application/pdf', filename: 'brief.pdf', url: PDF },
    ],
  });
  await vi.waitFor(() => expect(chat.status).toBe('ready'));
  await transport.saved();
  return { chat, reopened: new DexieSessionStore({ name }), manager };
}

describe('useChat messages are stored whole', () => {
  it.each([
    ['one step', false],
    ['a tool step, then reasoning, text, sources, data and a file', true],
  ])('%s: after a reload the chat reads back exactly as it showed', async (_, withTool) => {
    const { chat, reopened, manager } = await chatOnce(withTool);
    const shown = structuredClone(chat.messages);
    expect(JSON.stringify(shown)).toContain('sig-1');
    const { messages } = await loadChatMessages(manager.conversationId, { store: reopened });
    expect(messages).toEqual(shown);
    await validateUIMessages({ messages });
    const model = await convertToModelMessages(messages);
    expect(JSON.stringify(model)).toContain('sig-1');
  });

  it('the image counts toward the user message context tokens', async () => {
    const { manager } = await chatOnce(false);
    const [user] = await manager.getEvents();
    expect(user!.tokenUsage!.mediaTokens).toBeGreaterThan(0);
    expect(user!.tokenUsage!.contextTokens).toBeGreaterThan(user!.tokenUsage!.mediaTokens!);
  });
});
