import type {
  BeginResponseOptions,
  EditResult,
  MessagePart,
  ResponseStream,
  SessionManager,
} from './fromCore.ts';
import type { ToolUnit } from './units.ts';

/** Where a reply goes: a plain reply, or a new version of stored reply `versionOf` (regenerate). */
export interface ReplyPlacement extends BeginResponseOptions {
  versionOf?: string;
}

/** Begin a reply event (status 'streaming'), as a new version when `versionOf` is given. */
export function beginReply(
  manager: SessionManager,
  { versionOf, ...options }: ReplyPlacement,
): Promise<ResponseStream> {
  return versionOf ? manager.regenerate(versionOf, options) : manager.beginResponse(options);
}

/**
 * Record a user message's text with its link (and its `parts`, when the text alone does not say
 * it all): a new version of stored message `editOf` when given (core's editMessage keeps what
 * followed the old text on its branch). Resolves to the edit's event id; null for a plain
 * message (userSays does not say it: the ledger's null).
 */
export async function writeUserText(
  manager: SessionManager,
  text: string,
  link: Record<string, unknown>,
  editOf?: string,
  parts?: MessagePart[],
): Promise<string | null> {
  if (!editOf) {
    await manager.userSays(text, link, parts ? { parts } : {});
    return null;
  }
  return (await writeEdit(manager, editOf, text, link, parts)).eventId;
}

/**
 * Record `text` as a new version of stored user message `editOf` (core's editMessage), with its
 * link. Resolves to the edit (`forked`: it went to a new conversation, the message being in a
 * summarized segment).
 */
export async function writeEdit(
  manager: SessionManager,
  editOf: string,
  text: string,
  link: Record<string, unknown>,
  parts?: MessagePart[],
): Promise<EditResult> {
  const edit = await manager.editMessage(editOf, text, parts ? { parts } : {});
  await manager.store.updateEvent(edit.eventId, { metadata: link });
  return edit;
}

export interface ToolWrite {
  eventId?: string;
  /** The reply text that asked for the call. */
  parentEventId?: string;
  /** Groups the calls of a step with no text (core's convention, so steps stay apart). */
  stepId?: string;
  /** A tool not declared up front (the AI SDK's dynamic-tool). */
  dynamic?: boolean;
}

/** Record a complete tool unit with its link. Resolves to its event id. */
export async function writeToolCall(
  manager: SessionManager,
  unit: ToolUnit,
  link: Record<string, unknown>,
  { eventId = globalThis.crypto.randomUUID(), parentEventId, stepId, dynamic }: ToolWrite = {},
): Promise<string> {
  await manager.toolUsed(unit.name, unit.input, unit.output, {
    ...link,
    error: unit.error,
    toolCallId: unit.toolCallId,
    eventId,
    ...(parentEventId ? { parentEventId } : stepId ? { stepId } : {}),
    ...(dynamic ? { dynamicTool: true } : {}),
    ...(unit.parts ? { parts: unit.parts } : {}),
  });
  return eventId;
}

/** The message's metadata often comes last (a `finish` chunk): keep it with a reply already written. */
export async function keepLateMetadata(
  manager: SessionManager,
  eventId: string,
  key: string,
  metadata: unknown,
): Promise<void> {
  if (metadata !== undefined) await manager.store.updateEvent(eventId, { metadata: { [key]: metadata } });
}
