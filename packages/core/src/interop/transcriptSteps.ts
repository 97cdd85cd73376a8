// What a "from" converter reads a transcript into. Kept apart from recordTranscript so the
// readers stay pure checks that know nothing of SessionManager.
import { newId } from '../domain/ids.ts';
import type { MessagePart } from '../domain/messageParts.ts';

/** What every recorded step may carry beside its text: its parts, and the metadata linking it to its message. */
interface StepExtras {
  parts?: MessagePart[];
  link?: Record<string, unknown>;
}

export type TranscriptStep =
  | { kind: 'system'; text: string }
  | ({ kind: 'user'; text: string } & StepExtras)
  | ({ kind: 'assistant'; text: string; eventId: string; metadata?: StepMetadata } & StepExtras)
  | ({
      kind: 'tool';
      name: string;
      input: unknown;
      output: unknown;
      error: string | null;
      toolCallId: string;
      parentEventId?: string;
      metadata?: StepMetadata;
    } & StepExtras);

/**
 * What a format says that the event alone does not, kept in the event's metadata so the "to"
 * converters can give it back: `stepId` groups the tool calls of one step that had no text
 * (so consecutive tool-only steps stay apart), `toolType: 'custom'` an OpenAI custom tool call,
 * `dynamicTool` an AI SDK dynamic-tool part, `refusal` an OpenAI refusal.
 */
export interface StepMetadata {
  stepId?: string;
  toolType?: 'custom';
  dynamicTool?: true;
  refusal?: true;
}

/** A fresh id for an assistant message, so its tool calls can link to it before it is written. */
export function assistantStep(text: string): Extract<TranscriptStep, { kind: 'assistant' }> {
  return { kind: 'assistant', text, eventId: newId() };
}

/** A step id for the tool calls of a step with no text. */
export const newStepId = newId;

/**
 * Tool output text back to a value: JSON when it is exactly what JSON.stringify makes of a
 * non-string value, else the text itself (so `sunny, 25C`, `"quoted"` and `{ "a": 1 }` all come
 * back as sent; see toolOutputText).
 */
export function parseToolOutput(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value !== 'string' && JSON.stringify(value) === text ? value : text;
  } catch {
    return text;
  }
}
