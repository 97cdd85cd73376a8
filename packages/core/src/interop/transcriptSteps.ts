// What a "from" converter reads a transcript into. Kept apart from recordTranscript so the
// readers, loaded on first use, do not pull SessionManager into their chunk.
import { newId } from '../ids';

export type TranscriptStep =
  | { kind: 'system'; text: string }
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string; eventId: string }
  | {
      kind: 'tool';
      name: string;
      input: unknown;
      output: unknown;
      error: string | null;
      toolCallId: string;
      parentEventId?: string;
    };

/** A fresh id for an assistant message, so its tool calls can link to it before it is written. */
export function assistantStep(text: string): Extract<TranscriptStep, { kind: 'assistant' }> {
  return { kind: 'assistant', text, eventId: newId() };
}

/** Tool output text back to a value: JSON when it parses, else the text itself. */
export function parseToolOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
