import type { SessionEvent } from '../types';
import { type FromConverterOptions, recordTranscript } from './recordTranscript';
import { type ToConverterOptions, toolOutputText, transcriptItems } from './transcriptItems';
import type { SessionManager } from '../sessionManager';

export interface OpenAIMessageToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** An OpenAI Chat Completions message. */
export type OpenAIChatMessage =
  | { role: 'system' | 'developer'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIMessageToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/**
 * A conversation's events as OpenAI Chat Completions messages: each assistant message carries
 * its tool calls as `tool_calls`, followed by one `tool` message per call (the result as JSON
 * text, or the error text). Tool calls recorded without an assistant message get one with
 * `content: null`, as the API requires. See ToConverterOptions for the system prompt and summary.
 */
export function toOpenAIMessages(
  events: readonly SessionEvent[],
  options: ToConverterOptions = {},
): OpenAIChatMessage[] {
  const out: OpenAIChatMessage[] = [];
  for (const item of transcriptItems(events, options)) {
    if (item.kind === 'system') out.push({ role: 'system', content: item.text });
    else if (item.kind === 'user') out.push({ role: 'user', content: item.text });
    else {
      const message: OpenAIChatMessage = { role: 'assistant', content: item.text };
      if (item.toolCalls.length) {
        message.tool_calls = item.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.input) },
        }));
      }
      out.push(message);
      for (const c of item.toolCalls)
        out.push({ role: 'tool', tool_call_id: c.id, content: toolOutputText(c) });
    }
  }
  return out;
}

/** Loosely typed input: what an OpenAI SDK or a stored request body holds. */
export interface OpenAIMessageInput {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: unknown;
}

/**
 * Record an OpenAI-format transcript. System (and developer) messages become the system prompt;
 * tool messages become TOOL_CALL events linked to the assistant message that asked for them
 * (an assistant message with `content: null` is not recorded, so its calls stand alone). A tool
 * message's content is stored parsed when it is JSON. OpenAI marks no tool errors, so none are
 * recorded as errors. The whole transcript is checked before anything is written.
 */
export async function fromOpenAIMessages(
  messages: readonly OpenAIMessageInput[],
  options: FromConverterOptions = {},
): Promise<SessionManager> {
  const { readOpenAITranscript } = await import('../onDemand');
  return recordTranscript(readOpenAITranscript(messages), options);
}
