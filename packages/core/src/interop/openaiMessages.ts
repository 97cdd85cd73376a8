import type { SessionEvent } from '../domain/types.ts';
import { guard } from '../domain/validate.ts';
import { readOpenAITranscript, type OpenAIMessageInput } from './readOpenAITranscript.ts';
import { type FromConverterOptions, recordTranscript } from './recordTranscript.ts';
import { type ToConverterOptions, toolOutputText, transcriptItems } from './transcriptItems.ts';
import type { SessionManager } from '../session/sessionManager.ts';
import { isFilePart } from '../domain/messageParts.ts';
import { type OpenAIUserContentPart, openAIUserContent } from './mediaBlocks.ts';

export type { OpenAIUserContentPart } from './mediaBlocks.ts';

export type OpenAIMessageToolCall =
  | { id: string; type: 'function'; function: { name: string; arguments: string } }
  /** A custom (free-form text input) tool's call. */
  | { id: string; type: 'custom'; custom: { name: string; input: string } };

/** An OpenAI Chat Completions message (assignable to the openai SDK's ChatCompletionMessageParam). */
export type OpenAIChatMessage =
  | { role: 'system'; content: string }
  | { role: 'developer'; content: string }
  | { role: 'user'; content: string | OpenAIUserContentPart[] }
  | { role: 'assistant'; content: string | null; refusal?: string; tool_calls?: OpenAIMessageToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/**
 * A conversation's events as OpenAI Chat Completions messages. A user message with images or
 * files gets content parts (`image_url`, `file` with the data URL, `input_audio`), in the order
 * it had them; reasoning is not sent (Chat Completions takes none back). Each assistant message carries
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
    else if (item.kind === 'user') {
      const parts = item.event.parts?.some(isFilePart) ? openAIUserContent(item.event.parts) : [];
      out.push({ role: 'user', content: parts.length ? parts : item.text });
    } else {
      const refusal = item.event?.metadata.refusal === true && item.text !== null;
      const message: Extract<OpenAIChatMessage, { role: 'assistant' }> = refusal
        ? { role: 'assistant', content: null, refusal: item.text! }
        : { role: 'assistant', content: item.text };
      if (item.toolCalls.length) {
        message.tool_calls = item.toolCalls.map(
          (c): OpenAIMessageToolCall =>
            c.event.metadata.toolType === 'custom' && typeof c.input === 'string'
              ? { id: c.id, type: 'custom', custom: { name: c.name, input: c.input } }
              : {
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: JSON.stringify(c.input) },
                },
        );
      }
      out.push(message);
      for (const c of item.toolCalls)
        out.push({ role: 'tool', tool_call_id: c.id, content: toolOutputText(c) });
    }
  }
  return out;
}

/** Loosely typed input: what an OpenAI SDK or a stored request body holds. */

/**
 * Record an OpenAI-format transcript. System (and developer) messages become the system prompt;
 * tool messages become TOOL_CALL events linked to the assistant message that asked for them
 * (an assistant message with `content: null` is not recorded, so its calls stand alone, one step
 * per message). A tool message's content is stored parsed when it is JSON, as text otherwise.
 * `custom` tool calls are kept as such; a refusal with no text is recorded as the assistant's
 * text (marked `metadata.refusal`). A user message's images, files and audio are stored as file parts
 * (an image's `detail` with them), so toOpenAIMessages gives them back. OpenAI marks no tool
 * errors, so none are recorded as errors. The whole transcript is checked before anything is written.
 */
export async function fromOpenAIMessages(
  messages: readonly OpenAIMessageInput[],
  options: FromConverterOptions = {},
): Promise<SessionManager> {
  return recordTranscript(
    guard('messages', () => readOpenAITranscript(messages)),
    options,
  );
}

export type { OpenAIMessageInput } from './readOpenAITranscript.ts';
