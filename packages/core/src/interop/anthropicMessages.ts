import type { SessionManager } from '../session/sessionManager.ts';
import type { SessionEvent } from '../domain/types.ts';
import { guard } from '../domain/validate.ts';
import { readAnthropicTranscript, type AnthropicConversationInput } from './readAnthropicTranscript.ts';
import { type FromConverterOptions, recordTranscript } from './recordTranscript.ts';
import { type ToConverterOptions, toolOutputText, transcriptItems } from './transcriptItems.ts';

export type AnthropicTextBlock = { type: 'text'; text: string };
export type AnthropicToolUseBlock = { type: 'tool_use'; id: string; name: string; input: unknown };
export type AnthropicToolResultBlock = {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
};
export type AnthropicContentBlock = AnthropicTextBlock | AnthropicToolUseBlock | AnthropicToolResultBlock;

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

/** The Messages API's request shape: the system prompt is a parameter, not a message. */
export interface AnthropicConversation {
  system?: string;
  messages: AnthropicMessage[];
}

/**
 * A conversation's events in Anthropic Messages form. System text (the system prompt, the
 * summary if asked for, system events) is joined into `system`. An assistant message with tool
 * calls has content blocks (text, then `tool_use`), and is followed by a user message of
 * `tool_result` blocks (`is_error` for failed calls). Plain messages keep string content.
 */
export function toAnthropicMessages(
  events: readonly SessionEvent[],
  options: ToConverterOptions = {},
): AnthropicConversation {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const item of transcriptItems(events, options)) {
    if (item.kind === 'system') system.push(item.text);
    else if (item.kind === 'user') messages.push({ role: 'user', content: item.text });
    else if (!item.toolCalls.length) messages.push({ role: 'assistant', content: item.text ?? '' });
    else {
      // The API rejects empty text blocks.
      const text: AnthropicContentBlock[] = item.text ? [{ type: 'text', text: item.text }] : [];
      const uses = item.toolCalls.map(
        (c): AnthropicContentBlock => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input }),
      );
      messages.push({ role: 'assistant', content: [...text, ...uses] });
      const results = item.toolCalls.map(
        (c): AnthropicContentBlock => ({
          type: 'tool_result',
          tool_use_id: c.id,
          content: toolOutputText(c),
          ...(c.error === null ? {} : { is_error: true }),
        }),
      );
      messages.push({ role: 'user', content: results });
    }
  }
  return system.length ? { system: system.join('\n\n'), messages } : { messages };
}

/**
 * Record an Anthropic-format transcript. `system` becomes the system prompt; `tool_use` blocks
 * and their `tool_result` blocks become TOOL_CALL events linked to the assistant message's text
 * (an assistant message with no text is not recorded, so its calls stand alone); `is_error`
 * results are recorded as errors. Non-text blocks (images, thinking…) are skipped. The whole
 * transcript is checked before anything is written.
 */
export async function fromAnthropicMessages(
  input: AnthropicConversationInput,
  options: FromConverterOptions = {},
): Promise<SessionManager> {
  return recordTranscript(
    guard('messages', () => readAnthropicTranscript(input)),
    options,
  );
}

export type { AnthropicConversationInput } from './readAnthropicTranscript.ts';
