import {
  EventSource,
  EventType,
  InvalidInputError,
  type MessagePart,
  type SessionEvent,
} from '@ai-session-manager/core';
import { replyStatus } from '@ai-session-manager/core/chat';
import { movedFile, restoredFile } from './fileParts.ts';
import type { ThreadMessage, ThreadMessageLike } from '@assistant-ui/react';

// How one assistant-ui ThreadMessage is stored: one message event (user → userSays, assistant →
// an assistant reply) whose text is the message's text parts joined by a blank line, plus one
// tool event per tool-call part linked to it (parentEventId). Event metadata keeps what the
// text alone cannot say, so a load gives back the same message: its id, the parts' layout,
// the other parts (reasoning, sources, data) verbatim, its status and metadata. Image and file
// parts (the message's and its attachments') go to the event's core `parts` as file parts, so
// the store keeps their bytes as Blobs and they count toward the message's context tokens.

/** Event metadata this package writes. */
export const AUI_MESSAGE_ID = 'auiMessageId';
/** The parent assistant-ui named when it appended the message (the tree itself is core's). */
export const AUI_PARENT_ID = 'auiParentId';
/** The content parts' layout, when the message is more than one text part. */
export const AUI_PARTS = 'auiParts';
/** The message's own `metadata` (custom, steps, feedback…), when it carries any. */
export const AUI_METADATA = 'auiMetadata';
/** An assistant message's status, when it did not end complete. */
export const AUI_STATUS = 'auiStatus';
/** A user message's attachments. */
export const AUI_ATTACHMENTS = 'auiAttachments';
/** When the message was created in the UI (the event's timestamp is when it was stored). */
export const AUI_CREATED_AT = 'auiCreatedAt';
/** On a tool event: the tool-call part's fields besides name, id, args and result. */
export const AUI_PART = 'auiPart';
/** On a tool event: the call has no result yet (waiting for a human or a client tool). */
export const AUI_PENDING = 'auiPending';
/** On a message event deleted through the history adapter. */
export const AUI_DELETED = 'auiDeleted';

const SEPARATOR = '\n\n';

type Part = ThreadMessage['content'][number];
type ToolCallPart = Extract<Part, { type: 'tool-call' }>;

/** One entry of the stored layout: a text part by length, a tool call by id, anything else as it was. */
export type StoredPart =
  | { type: 'text'; length: number }
  | { type: 'tool-call'; toolCallId: string }
  | Record<string, unknown>;

/** A tool-call part as core records it. */
export interface ToolUnit {
  toolCallId: string;
  toolName: string;
  args: unknown;
  /** null while pending. */
  result: unknown;
  error: string | null;
  pending: boolean;
  /** The part's other fields (artifact, approval, interrupt…), JSON. */
  extra: Record<string, unknown> | undefined;
}

export interface EncodedMessage {
  role: 'user' | 'assistant';
  text: string;
  /**
   * The message's files (image and file parts, its attachments' too) as core file parts, stored
   * with the event (the store keeps their bytes as Blobs); the layout names them by `fileIndex`.
   */
  files: MessagePart[];
  /** Metadata for the message event (link to the assistant-ui message). */
  metadata: Record<string, unknown>;
  tools: ToolUnit[];
  /** Provider-reported usage summed over the message's steps, when it has any. */
  usage: { promptTokens: number; completionTokens: number; totalTokens: number } | undefined;
  /** The reply ended cancelled or failed: stored as an aborted reply. */
  aborted: string | undefined;
}

/** A ThreadMessage as core records it. Throws InvalidInputError (nothing is written) on bad input. */
export function encodeMessage(message: ThreadMessage, parentId: string | null): EncodedMessage {
  if (!message || typeof message !== 'object')
    throw new InvalidInputError('message must be a ThreadMessage object.');
  if (typeof message.id !== 'string' || message.id === '') {
    throw new InvalidInputError('message.id must be a non-empty string.');
  }
  if (message.role !== 'user' && message.role !== 'assistant') {
    throw new InvalidInputError(
      `message.role must be 'user' or 'assistant' (got ${JSON.stringify(message.role)}); system messages are not stored.`,
    );
  }
  if (!Array.isArray(message.content))
    throw new InvalidInputError('message.content must be an array of parts.');
  if (parentId !== null && (typeof parentId !== 'string' || parentId === '')) {
    throw new InvalidInputError('parentId must be a message id or null.');
  }
  const texts: string[] = [];
  const layout: StoredPart[] = [];
  const tools: ToolUnit[] = [];
  const files: MessagePart[] = [];
  message.content.forEach((part, i) => {
    if (!part || typeof part !== 'object')
      throw new InvalidInputError(`message.content[${i}] is not a part.`);
    if (part.type === 'text') {
      if (typeof part.text !== 'string')
        throw new InvalidInputError(`message.content[${i}].text must be a string.`);
      texts.push(part.text);
      layout.push({ type: 'text', length: part.text.length });
    } else if (part.type === 'tool-call') {
      tools.push(toolUnit(part, i));
      layout.push({ type: 'tool-call', toolCallId: part.toolCallId });
    } else {
      layout.push(movedFile(json(part, `message.content[${i}]`) as Record<string, unknown>, files));
    }
  });
  const metadata: Record<string, unknown> = { [AUI_MESSAGE_ID]: message.id, [AUI_PARENT_ID]: parentId };
  const plain = layout.length === 1 && layout[0]!.type === 'text';
  if (!plain && layout.length > 0) metadata[AUI_PARTS] = layout;
  const own = ownMetadata(message);
  if (own !== undefined) metadata[AUI_METADATA] = own;
  if (message.createdAt instanceof Date && !Number.isNaN(message.createdAt.getTime())) {
    metadata[AUI_CREATED_AT] = message.createdAt.toISOString();
  }
  let aborted: string | undefined;
  if (message.role === 'assistant' && message.status && message.status.type !== 'complete') {
    metadata[AUI_STATUS] = json(message.status, 'message.status');
    if (
      message.status.type === 'incomplete' &&
      (message.status.reason === 'cancelled' || message.status.reason === 'error')
    ) {
      aborted = message.status.reason;
    }
  }
  if (message.role === 'user' && message.attachments?.length) {
    const attachments = json(message.attachments, 'message.attachments') as Record<string, unknown>[];
    metadata[AUI_ATTACHMENTS] = attachments.map((a) =>
      Array.isArray(a.content)
        ? { ...a, content: (a.content as Record<string, unknown>[]).map((p) => movedFile(p, files)) }
        : a,
    );
  }
  return {
    role: message.role,
    text: texts.join(SEPARATOR),
    files,
    metadata,
    tools,
    usage: message.role === 'assistant' ? stepsUsage(message) : undefined,
    aborted,
  };
}

function toolUnit(part: ToolCallPart, i: number): ToolUnit {
  const at = `message.content[${i}]`;
  if (typeof part.toolCallId !== 'string' || part.toolCallId === '') {
    throw new InvalidInputError(`${at}.toolCallId must be a non-empty string.`);
  }
  if (typeof part.toolName !== 'string' || part.toolName === '') {
    throw new InvalidInputError(`${at}.toolName must be a non-empty string.`);
  }
  const {
    type: _type,
    toolCallId,
    toolName,
    args,
    argsText: _argsText,
    result,
    isError,
    status: _status,
    ...rest
  } = part as ToolCallPart & { status?: unknown };
  const pending = result === undefined;
  const extra = Object.keys(rest).length ? (json(rest, at) as Record<string, unknown>) : undefined;
  return {
    toolCallId,
    toolName,
    args: json(args ?? {}, `${at}.args`),
    result: pending ? null : json(result, `${at}.result`),
    error: isError ? errorText(result) : null,
    pending,
    extra,
  };
}

function errorText(result: unknown): string {
  if (typeof result === 'string') return result || 'error';
  return JSON.stringify(result ?? 'error') ?? 'error';
}

/** The message's metadata worth keeping: everything but what the runtime fills in empty. */
function ownMetadata(message: ThreadMessage): Record<string, unknown> | undefined {
  const meta = message.metadata as Record<string, unknown> | undefined;
  if (!meta) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === undefined || value === null || key === 'isOptimistic' || key === 'timing') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (key === 'custom' && value && typeof value === 'object' && Object.keys(value).length === 0) continue;
    kept[key] = value;
  }
  return Object.keys(kept).length ? (json(kept, 'message.metadata') as Record<string, unknown>) : undefined;
}

function stepsUsage(message: ThreadMessage): EncodedMessage['usage'] {
  const steps = message.metadata?.steps ?? [];
  let input = 0;
  let output = 0;
  let any = false;
  for (const step of steps) {
    if (!step.usage) continue;
    any = true;
    input += step.usage.inputTokens;
    output += step.usage.outputTokens;
  }
  return any ? { promptTokens: input, completionTokens: output, totalTokens: input + output } : undefined;
}

/** A JSON copy of `value`, or InvalidInputError naming `path` (and where inside it). */
function json(value: unknown, path: string): unknown {
  const check = (v: unknown, at: string, seen: Set<object>): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || v === undefined) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InvalidInputError(`${at} is ${v}, which JSON cannot hold.`);
      return;
    }
    if (typeof v !== 'object')
      throw new InvalidInputError(`${at} is a ${typeof v}, which cannot be stored as JSON.`);
    if (v instanceof Date) return;
    if (seen.has(v)) throw new InvalidInputError(`${at} contains a circular reference.`);
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        check(item, `${at}[${i}]`, seen);
      });
    } else for (const [key, item] of Object.entries(v)) check(item, `${at}.${key}`, seen);
    seen.delete(v);
  };
  check(value, path, new Set());
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** The assistant-ui id of a message event: the one it was stored with, else the event's own. */
export function auiIdOf(event: SessionEvent): string {
  const id = event.metadata[AUI_MESSAGE_ID];
  return typeof id === 'string' ? id : event.id;
}

/** A stored message event (and its tool events) back as the ThreadMessage it was. */
export function decodeMessage(event: SessionEvent, toolEvents: readonly SessionEvent[]): ThreadMessageLike {
  const role = event.source === EventSource.USER ? 'user' : 'assistant';
  const text = typeof event.message === 'string' ? event.message : '';
  const tools = new Map<string, SessionEvent>();
  for (const t of toolEvents) {
    const id = (t.message as { toolCallId?: unknown } | null)?.toolCallId;
    tools.set(typeof id === 'string' ? id : t.id, t);
  }
  const content: Record<string, unknown>[] = [];
  const layout = event.metadata[AUI_PARTS];
  const lengths = Array.isArray(layout)
    ? (layout as StoredPart[])
        .filter((p) => p.type === 'text')
        .map((p) => Number((p as { length: unknown }).length))
    : [];
  const fits =
    Array.isArray(layout) &&
    lengths.reduce((a, b) => a + b, 0) + SEPARATOR.length * Math.max(0, lengths.length - 1) === text.length;
  const used = new Set<string>();
  if (fits) {
    let at = 0;
    for (const part of layout as StoredPart[]) {
      if (part.type === 'text') {
        const length = Number(part.length);
        content.push({ type: 'text', text: text.slice(at, at + length) });
        at += length + SEPARATOR.length;
      } else if (part.type === 'tool-call') {
        const tool = tools.get(String(part.toolCallId));
        if (!tool) continue;
        used.add(String(part.toolCallId));
        content.push(toolPart(tool));
      } else content.push(restoredFile({ ...part }, event.parts ?? []));
    }
  } else if (text !== '' || tools.size === 0) content.push({ type: 'text', text });
  for (const [id, tool] of tools) if (!used.has(id)) content.push(toolPart(tool));

  const createdAt = event.metadata[AUI_CREATED_AT];
  const message: Record<string, unknown> = {
    id: auiIdOf(event),
    role,
    content,
    createdAt: new Date(typeof createdAt === 'string' ? createdAt : event.timestamp),
  };
  const own = event.metadata[AUI_METADATA];
  if (own && typeof own === 'object') message.metadata = own;
  if (role === 'user' && Array.isArray(event.metadata[AUI_ATTACHMENTS])) {
    const files = event.parts ?? [];
    message.attachments = (event.metadata[AUI_ATTACHMENTS] as Record<string, unknown>[]).map((a) =>
      Array.isArray(a.content)
        ? { ...a, content: (a.content as Record<string, unknown>[]).map((p) => restoredFile(p, files)) }
        : a,
    );
  }
  if (role === 'assistant') message.status = assistantStatus(event);
  return message as unknown as ThreadMessageLike;
}

function toolPart(tool: SessionEvent): Record<string, unknown> {
  const call = tool.message as {
    tool: string;
    arguments: unknown;
    result: unknown;
    error: string | null;
    toolCallId?: string;
  };
  const args = call.arguments && typeof call.arguments === 'object' ? call.arguments : {};
  const extra = tool.metadata[AUI_PART];
  return {
    ...(extra && typeof extra === 'object' ? extra : {}),
    type: 'tool-call',
    toolCallId: call.toolCallId ?? tool.id,
    toolName: call.tool,
    args,
    argsText: JSON.stringify(args),
    ...(tool.metadata[AUI_PENDING] === true ? {} : { result: call.result }),
    ...(call.error ? { isError: true } : {}),
  };
}

/** The status a stored reply shows: as stored, or what core's reply status says of it. */
function assistantStatus(event: SessionEvent): ThreadMessage['status'] {
  const stored = event.metadata[AUI_STATUS];
  const status = replyStatus(event);
  if (status === 'streaming' || status === 'interrupted') {
    const live = status === 'streaming';
    return {
      type: 'incomplete',
      reason: 'other',
      error: live ? 'Still being written in another tab.' : 'Interrupted: the tab writing it closed.',
    };
  }
  if (stored && typeof stored === 'object') return stored as ThreadMessage['status'];
  if (status === 'aborted') return { type: 'incomplete', reason: 'cancelled' };
  return { type: 'complete', reason: 'unknown' };
}

/** Whether an event is a message this package can show (user or assistant, not discarded or deleted). */
export function isShownMessage(e: SessionEvent): boolean {
  return (
    e.type === EventType.MESSAGE &&
    (e.source === EventSource.USER || e.source === EventSource.LLM) &&
    e.reply?.status !== 'discarded' &&
    e.metadata[AUI_DELETED] !== true
  );
}

/** A failed reply's error text (endpoint text, kept in the status) scrubbed like an abort reason. */
export function scrubStatusError(m: EncodedMessage, scrub: (text: string) => string): EncodedMessage {
  const status = m.metadata[AUI_STATUS] as { error?: unknown } | undefined;
  if (typeof status?.error !== 'string') return m;
  return { ...m, metadata: { ...m.metadata, [AUI_STATUS]: { ...status, error: scrub(status.error) } } };
}
