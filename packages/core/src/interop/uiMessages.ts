import type { SessionManager } from '../sessionManager';
import type { SessionEvent } from '../types';
import { type FromConverterOptions, recordTranscript } from './recordTranscript';
import { type ToConverterOptions, transcriptItems } from './transcriptItems';

// Structural copies of the Vercel AI SDK (v5+) UIMessage types we produce, so core needs no `ai` dependency.
export type UITextPart = { type: 'text'; text: string };
export type UIStepStartPart = { type: 'step-start' };
export type UIToolPart =
  | { type: `tool-${string}`; toolCallId: string; state: 'output-available'; input: unknown; output: unknown }
  | { type: `tool-${string}`; toolCallId: string; state: 'output-error'; input: unknown; errorText: string };
export type UIMessagePart = UITextPart | UIStepStartPart | UIToolPart;

export interface UIMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  parts: UIMessagePart[];
}

/**
 * A conversation's events as AI SDK UIMessages (ids are event ids). An assistant message's tool
 * calls become `tool-<name>` parts after its text, in state `output-available` or `output-error`.
 * Consecutive assistant messages (e.g. tool calls, then the answer) form one UIMessage, one step
 * each, separated by `step-start` parts, as the AI SDK shows a multi-step response.
 */
export function toUIMessages(events: readonly SessionEvent[], options: ToConverterOptions = {}): UIMessage[] {
  const out: UIMessage[] = [];
  for (const item of transcriptItems(events, options)) {
    if (item.kind !== 'assistant') {
      out.push({ id: item.id, role: item.kind, parts: [{ type: 'text', text: item.text }] });
      continue;
    }
    const parts: UIMessagePart[] = item.text ? [{ type: 'text', text: item.text }] : [];
    for (const c of item.toolCalls) {
      parts.push(
        c.error === null
          ? {
              type: `tool-${c.name}`,
              toolCallId: c.id,
              state: 'output-available',
              input: c.input,
              output: c.output,
            }
          : {
              type: `tool-${c.name}`,
              toolCallId: c.id,
              state: 'output-error',
              input: c.input,
              errorText: c.error,
            },
      );
    }
    if (!parts.length) parts.push({ type: 'text', text: '' });
    const last = out[out.length - 1];
    if (last?.role === 'assistant') last.parts.push({ type: 'step-start' }, ...parts);
    else out.push({ id: item.id, role: 'assistant', parts });
  }
  return out;
}

/** Loosely typed input, so the AI SDK's own UIMessage objects are accepted as they are. */
export interface UIMessageInput {
  /** Not kept: recorded events get their own ids. */
  id?: string;
  role: string;
  metadata?: unknown;
  parts: readonly ({ type: string } & Record<string, unknown>)[];
}

/**
 * Record a UIMessage transcript. Text parts of a step are joined into one message; a tool part
 * in state `output-available` or `output-error` becomes a TOOL_CALL event, linked to the text
 * of its step when that came first (a step with no text before its tools is not recorded as an
 * assistant message). Tool parts still in progress or denied, files, reasoning and data parts are
 * skipped. System messages become the system prompt. Everything is checked before anything is written.
 */
export async function fromUIMessages(
  messages: readonly UIMessageInput[],
  options: FromConverterOptions = {},
): Promise<SessionManager> {
  const { readUITranscript } = await import('../onDemand');
  return recordTranscript(readUITranscript(messages), options);
}
