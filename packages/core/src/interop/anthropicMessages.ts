import type { SessionManager } from '../session/sessionManager.ts';
import type { SessionEvent } from '../domain/types.ts';
import { guard } from '../domain/validate.ts';
import { readAnthropicTranscript, type AnthropicConversationInput } from './readAnthropicTranscript.ts';
import { type FromConverterOptions, recordTranscript } from './recordTranscript.ts';
import { type ToConverterOptions, toolOutputText, transcriptItems } from './transcriptItems.ts';
import { isFilePart } from '../domain/messageParts.ts';
import {
  type AnthropicDocumentBlock,
  type AnthropicImageBlock,
  type AnthropicRedactedThinkingBlock,
  type AnthropicThinkingBlock,
  anthropicThinkingBlocks,
  anthropicUserBlocks,
} from './mediaBlocks.ts';

export type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicRedactedThinkingBlock,
  AnthropicThinkingBlock,
} from './mediaBlocks.ts';

export type AnthropicTextBlock = { type: 'text'; text: string };
export type AnthropicToolUseBlock = { type: 'tool_use'; id: string; name: string; input: unknown };
export type AnthropicToolResultBlock = {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
};
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

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
 * calls has content blocks (its signed thinking, text, then `tool_use`), and is followed by a user
 * message of `tool_result` blocks (`is_error` for failed calls). Signed reasoning goes back as
 * `thinking` (redacted as `redacted_thinking`), as a tool loop with extended thinking requires;
 * reasoning without a signature is not sent. A user message's images and PDFs (and text files)
 * become `image` and `document` blocks. Plain messages keep string content.
 */
export function toAnthropicMessages(
  events: readonly SessionEvent[],
  options: ToConverterOptions = {},
): AnthropicConversation {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const item of transcriptItems(events, options)) {
    if (item.kind === 'system') system.push(item.text);
    else if (item.kind === 'user') {
      const parts = item.event.parts?.some(isFilePart) ? anthropicUserBlocks(item.event.parts) : [];
      messages.push({ role: 'user', content: parts.length ? parts : item.text });
    } else {
      const stored = [item.event, ...item.toolCalls.map((c) => c.event)].flatMap((e) => e?.parts ?? []);
      const thinking = anthropicThinkingBlocks(stored);
      if (!item.toolCalls.length && !thinking.length) {
        messages.push({ role: 'assistant', content: item.text ?? '' });
        continue;
      }
      // The API rejects empty text blocks.
      const text: AnthropicContentBlock[] = item.text ? [{ type: 'text', text: item.text }] : [];
      const uses = item.toolCalls.map(
        (c): AnthropicContentBlock => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input }),
      );
      messages.push({ role: 'assistant', content: [...thinking, ...text, ...uses] });
      if (!uses.length) continue;
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
 * (an assistant message with no text or thinking is not recorded, so its calls stand alone);
 * `is_error` results are recorded as errors. Images and documents are stored as file parts,
 * thinking as reasoning parts with their signature (redacted thinking with its data), so
 * toAnthropicMessages sends them back unchanged. The whole transcript is checked before anything
 * is written.
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
