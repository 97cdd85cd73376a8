import { mergeChatMessages, messageUnits } from '@ai-session-manager/ai-sdk';
import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';

const user = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const assistant = (id: string, text: string, state?: 'done' | 'streaming'): UIMessage => ({
  id,
  role: 'assistant',
  parts: [{ type: 'step-start' }, { type: 'text', text, ...(state ? { state } : {}) }],
});

describe('mergeChatMessages', () => {
  it('returns the same array when the store shows what the chat shows', () => {
    const chat = [user('u1', 'hi'), assistant('a1', 'hello', 'done')];
    expect(mergeChatMessages(chat, [user('u1', 'hi'), assistant('a1', 'hello')])).toBe(chat);
  });

  it("takes new and changed stored messages, keeps the chat's own copy and its unstored messages in place", () => {
    const mine = assistant('a1', 'hello');
    const pending = user('u2', 'not stored yet');
    const chat = [user('u1', 'hi'), mine, pending];
    const stored = [
      user('u1', 'hi'),
      assistant('a1', 'hel'),
      user('x', 'other tab'),
      assistant('y', 'growing'),
    ];
    const merged = mergeChatMessages(chat, stored, (id) => id === 'a1');
    expect(merged.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'x', 'y']);
    expect(merged[1]).toBe(mine);
    const other = mergeChatMessages(chat, stored);
    expect(other[1]).toBe(stored[1]);
  });
});

describe('messageUnits', () => {
  it('splits an assistant message into text runs and tool calls; streaming text holds back', () => {
    const message: UIMessage = {
      id: 'a',
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        { type: 'text', text: 'Let me', state: 'done' },
        { type: 'text', text: 'check.', state: 'done' },
        { type: 'tool-calc', toolCallId: 'c', state: 'input-available', input: { x: 1 } },
        { type: 'step-start' },
        { type: 'text', text: 'It is', state: 'streaming' },
      ],
    };
    expect(messageUnits(message, false).map((u) => [u.key, u.complete])).toEqual([
      ['text-0', true],
      ['tool:c', false],
      ['text-1', false],
    ]);
    expect(messageUnits(message, false)[0]).toMatchObject({ text: 'Let me\n\ncheck.' });
    expect(messageUnits(message, true)[2]!.complete).toBe(true);
    expect(messageUnits(message, true)[1]).toMatchObject({ parentKey: 'text-0', name: 'calc' });
  });
});
