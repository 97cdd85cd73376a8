import type { SessionManager } from '../session/sessionManager.ts';
import type { SessionEvent } from '../domain/types.ts';
import { guard } from '../domain/validate.ts';
import { readUITranscript, type UIMessageInput } from './readUITranscript.ts';
import { type FromConverterOptions, recordTranscript } from './recordTranscript.ts';
import { type ToConverterOptions, transcriptItems } from './transcriptItems.ts';

// Structural copies of the Vercel AI SDK (v5+) UIMessage types we produce, so core needs no `ai` dependency.
/** `state` as the AI SDK sets it on assistant text: our stored replies are finished, so 'done'. */
export type UITextPart = { type: 'text'; text: string; state?: 'streaming' | 'done' };
export type UIStepStartPart = { type: 'step-start' };
type ToolResultState =
  | { state: 'output-available'; input: unknown; output: unknown }
  | { state: 'output-error'; input: unknown; errorText: string };
export type UIToolPart = { type: `tool-${string}`; toolCallId: string } & ToolResultState;
/** A tool the app did not declare up front (e.g. from an MCP server), as the AI SDK marks it. */
export type UIDynamicToolPart = {
  type: 'dynamic-tool';
  toolName: string;
  toolCallId: string;
} & ToolResultState;
export type UIMessagePart = UITextPart | UIStepStartPart | UIToolPart | UIDynamicToolPart;

export interface UIMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  parts: UIMessagePart[];
}

/**
 * A conversation's events as AI SDK UIMessages (ids are event ids). An assistant message's tool
 * calls become `tool-<name>` parts (`dynamic-tool` for tools recorded from dynamic-tool parts)
 * after its text, in state `output-available` or `output-error`. Consecutive assistant messages
 * (e.g. tool calls, then the answer) form one UIMessage, one step each, every step starting with
 * a `step-start` part, as the AI SDK shows a multi-step response.
 */
export function toUIMessages(events: readonly SessionEvent[], options: ToConverterOptions = {}): UIMessage[] {
  const out: UIMessage[] = [];
  for (const item of transcriptItems(events, options)) {
    if (item.kind !== 'assistant') {
      out.push({ id: item.id, role: item.kind, parts: [{ type: 'text', text: item.text }] });
      continue;
    }
    // Every step starts with step-start, as in the messages the AI SDK makes.
    const parts: UIMessagePart[] = [{ type: 'step-start' }];
    if (item.text) parts.push({ type: 'text', text: item.text, state: 'done' });
    for (const c of item.toolCalls) {
      const result: ToolResultState =
        c.error === null
          ? { state: 'output-available', input: c.input, output: c.output }
          : { state: 'output-error', input: c.input, errorText: c.error };
      parts.push(
        c.event.metadata.dynamicTool === true
          ? { type: 'dynamic-tool', toolName: c.name, toolCallId: c.id, ...result }
          : { type: `tool-${c.name}`, toolCallId: c.id, ...result },
      );
    }
    if (parts.length === 1) parts.push({ type: 'text', text: '', state: 'done' });
    const last = out[out.length - 1];
    if (last?.role === 'assistant') last.parts.push(...parts);
    else out.push({ id: item.id, role: 'assistant', parts });
  }
  return out;
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
  return recordTranscript(
    guard('messages', () => readUITranscript(messages)),
    options,
  );
}

export type { UIMessageInput } from './readUITranscript.ts';
