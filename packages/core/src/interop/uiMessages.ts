import type { SessionManager } from '../session/sessionManager.ts';
import type { SessionEvent } from '../domain/types.ts';
import { guard } from '../domain/validate.ts';
import { readUITranscript, type UIMessageInput } from './readUITranscript.ts';
import { type FromConverterOptions, recordTranscript } from './recordTranscript.ts';
import { type ToConverterOptions, type TranscriptItem, transcriptItems } from './transcriptItems.ts';
import type { UIMessage, UIMessagePart } from './uiMessageTypes.ts';
import { linkOf } from '../record/messageLink.ts';
import { UI_LINK } from '../record/uiLink.ts';

/**
 * A conversation's events as AI SDK UIMessages. Messages recorded from UIMessages (fromUIMessages,
 * the AI SDK adapter) come back exactly: their ids, `metadata` and every part in order, reasoning,
 * files, sources, data parts and tool states included. Others are shaped as the SDK streams a
 * response (ids are event ids): an assistant message's tool calls become `tool-<name>` parts
 * (`dynamic-tool` for tools recorded from dynamic-tool parts) after its text, in state
 * `output-available` or `output-error`; consecutive assistant messages (tool calls, then the
 * answer) form one UIMessage, one step each, every step starting with a `step-start` part.
 */
export function toUIMessages(events: readonly SessionEvent[], options: ToConverterOptions = {}): UIMessage[] {
  const out: UIMessage[] = [];
  let lastLink: string | undefined;
  for (const item of transcriptItems(events, options)) {
    if (item.kind === 'system') {
      out.push({ id: item.id, role: 'system', parts: [{ type: 'text', text: item.text }] });
      lastLink = undefined;
      continue;
    }
    const first = item.kind === 'user' ? item.event : (item.event ?? item.toolCalls[0]!.event);
    const link = linkOf(UI_LINK, first)?.messageId;
    if (item.kind === 'user') {
      out.push(
        linked({ id: link ?? item.id, role: 'user', parts: userParts(item.event, item.text) }, [first]),
      );
      lastLink = link;
      continue;
    }
    const parts = assistantParts(item);
    const eventsOf = [...(item.event ? [item.event] : []), ...item.toolCalls.map((c) => c.event)];
    const last = out[out.length - 1];
    // One UIMessage per recorded message id; unlinked assistant steps in a row form one, as before.
    if (last?.role === 'assistant' && lastLink === link) {
      last.parts.push(...parts);
      linked(last, eventsOf);
    } else out.push(linked({ id: link ?? item.id, role: 'assistant', parts }, eventsOf));
    lastLink = link;
  }
  return out;
}

function userParts(event: SessionEvent, text: string): UIMessagePart[] {
  return event.parts ? (event.parts as UIMessagePart[]) : [{ type: 'text', text }];
}

/** An assistant item's parts: as stored when recorded from a UIMessage, else in the SDK's shape. */
function assistantParts(item: Extract<TranscriptItem, { kind: 'assistant' }>): UIMessagePart[] {
  const parts: UIMessagePart[] = [];
  if (item.event?.parts) parts.push(...(item.event.parts as UIMessagePart[]));
  else if (item.event || !item.toolCalls[0]!.event.parts) {
    // Every step starts with step-start, as in the messages the AI SDK makes.
    parts.push({ type: 'step-start' });
    if (item.text) parts.push({ type: 'text', text: item.text, state: 'done' });
  }
  for (const c of item.toolCalls) {
    if (c.event.parts) {
      parts.push(...(c.event.parts as UIMessagePart[]));
      continue;
    }
    const result =
      c.error === null
        ? ({ state: 'output-available', input: c.input, output: c.output } as const)
        : ({ state: 'output-error', input: c.input, errorText: c.error } as const);
    parts.push(
      c.event.metadata.dynamicTool === true
        ? { type: 'dynamic-tool', toolName: c.name, toolCallId: c.id, ...result }
        : { type: `tool-${c.name}`, toolCallId: c.id, ...result },
    );
  }
  if (parts.length === 1 && parts[0]!.type === 'step-start')
    parts.push({ type: 'text', text: '', state: 'done' });
  return parts;
}

/** The message's own metadata, as the last of its events recorded it. */
function linked(message: UIMessage, events: readonly SessionEvent[]): UIMessage {
  for (let i = events.length - 1; i >= 0; i--) {
    const metadata = events[i]!.metadata?.[UI_LINK.metadata];
    if (metadata !== undefined) {
      message.metadata = metadata;
      break;
    }
  }
  return message;
}

/**
 * Record a UIMessage transcript, losslessly: each message keeps its id and `metadata`, and every
 * part is stored with the event recording it (see SessionEvent.parts), so toUIMessages gives the
 * messages back as they were. Text parts of a step are joined into one message (its text, what is
 * counted and summarized); a tool part in state `output-available` or `output-error` becomes a
 * TOOL_CALL event, linked to the text of its step when that came first. Tool calls still in
 * progress, awaiting approval or denied are kept as parts, not as calls. Images and PDFs count
 * toward the message's context tokens. System messages become the system prompt. Everything is
 * checked before anything is written.
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
