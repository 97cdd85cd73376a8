import { EventSource, EventType, type SessionEvent, type ToolCallMessage } from '@ai-session-manager/core';
import { activePath } from '@ai-session-manager/core/chat';
import type { LinkKeys } from '@ai-session-manager/core/record';
import type { UIMessage } from '@tanstack/ai-client';
import { TEXT_PARTS, textParts, USER_SEPARATOR } from './textParts.ts';

/** Event metadata this package writes: which TanStack message (by the chat's id) and unit an event records. */
export const MESSAGE_ID = 'tanstackMessageId';
export const MESSAGE_UNIT = 'tanstackUnit';
/** The message's `createdAt` (ISO), its `metadata` (JSON) and a tool call's own parts. */
export const MESSAGE_CREATED_AT = 'tanstackCreatedAt';
export const MESSAGE_METADATA = 'tanstackMetadata';
export const TOOL_PARTS = 'tanstackParts';

/** This package's link keys, for core's recorder (the stored format: keep them). */
export const TANSTACK_LINK: LinkKeys = {
  messageId: MESSAGE_ID,
  unit: MESSAGE_UNIT,
  metadata: MESSAGE_METADATA,
  createdAt: MESSAGE_CREATED_AT,
};

type Part = UIMessage['parts'][number];

export interface StoredMessagesOptions {
  /** The branch to follow: the head segment's `state.activeLeafId` (default: the newest message's). */
  activeLeafId?: string | null;
}

/**
 * A conversation's events as TanStack UIMessages, as the chat held them: events recorded by this
 * package get back the chat's message ids, `createdAt` and `metadata`; a reply still streaming
 * (or left so by a closed tab) shows its text so far. Events recorded otherwise (core's own
 * calls, imports) become one message each, their event id as message id, tool calls joining the
 * assistant message before them. Discarded replies and other branches are left out.
 */
export function storedMessages(
  events: readonly SessionEvent[],
  options: StoredMessagesOptions = {},
): UIMessage[] {
  const recordable = events.filter(
    (e) =>
      (e.type === EventType.MESSAGE && e.source !== EventSource.SYSTEM) || e.type === EventType.TOOL_CALL,
  );
  const out: UIMessage[] = [];
  let current: UIMessage | undefined;
  let currentKey: string | undefined;
  for (const e of activePath(recordable, options.activeLeafId)) {
    const id = typeof e.metadata[MESSAGE_ID] === 'string' ? (e.metadata[MESSAGE_ID] as string) : undefined;
    const role =
      e.type === EventType.TOOL_CALL ? 'assistant' : e.source === EventSource.USER ? 'user' : 'assistant';
    // Untagged tool calls join the assistant message before them; untagged messages stand alone.
    const joins =
      current !== undefined &&
      current.role === role &&
      (id !== undefined ? currentKey === id : e.type === EventType.TOOL_CALL && currentKey === undefined);
    if (!joins || !current) {
      current = { id: id ?? e.id, role, parts: [] };
      const at = createdAt(e, id !== undefined);
      if (at) current.createdAt = at;
      const metadata = e.metadata[MESSAGE_METADATA];
      if (metadata && typeof metadata === 'object') current.metadata = metadata as Record<string, unknown>;
      currentKey = id;
      out.push(current);
    } else {
      const metadata = e.metadata[MESSAGE_METADATA];
      if (metadata && typeof metadata === 'object') current.metadata = metadata as Record<string, unknown>;
    }
    current.parts.push(...partsOf(e));
  }
  return out;
}

/**
 * A recorded message's own `createdAt`: none when the chat's message had none or an invalid one
 * (TanStack's adapters leave the key out then). An event recorded otherwise has its timestamp.
 */
function createdAt(e: SessionEvent, recorded: boolean): Date | undefined {
  const at = e.metadata[MESSAGE_CREATED_AT];
  return validDate(recorded ? at : e.timestamp);
}

/** `value` as a valid Date; undefined when it is none or not a date. */
function validDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A tool-result part's `createdAt` was stored as JSON (ISO text): a Date again, or none when invalid. */
function withResultDate(part: Part): Part {
  if (part.type !== 'tool-result' || !('createdAt' in part)) return part;
  const { createdAt: at, ...rest } = part;
  const date = validDate(at);
  return date ? { ...rest, createdAt: date } : rest;
}

function partsOf(e: SessionEvent): Part[] {
  if (e.type === EventType.MESSAGE) {
    const separator = e.source === EventSource.USER ? USER_SEPARATOR : '';
    // Parts with metadata are outside TanStack's TextPart type; its adapters keep it all the same.
    return textParts(String(e.message ?? ''), e.metadata[TEXT_PARTS], separator, e.parts) as Part[];
  }
  const stored = e.metadata[TOOL_PARTS];
  if (Array.isArray(stored)) return (stored as Part[]).map(withResultDate);
  const call = e.message as ToolCallMessage;
  const toolCallId = call.toolCallId ?? e.id;
  const failed = call.error !== null && call.error !== undefined;
  return [
    {
      type: 'tool-call',
      id: toolCallId,
      name: call.tool,
      arguments: JSON.stringify(call.arguments ?? {}),
      input: call.arguments,
      state: failed ? 'error' : 'complete',
      ...(failed ? {} : { output: call.result }),
    },
    {
      type: 'tool-result',
      toolCallId,
      content: typeof call.result === 'string' ? call.result : JSON.stringify(call.result),
      state: failed ? 'error' : 'complete',
      ...(failed ? { error: String(call.error) } : {}),
    },
  ];
}
