import type { SessionEvent } from './fromCore.ts';
import { metadataJson, plainJson } from './plainJson.ts';

/**
 * The event metadata keys an adapter ties its events to its library's messages with. They are
 * the adapter's stored format: conversations recorded before keep loading only while these stay.
 */
export interface LinkKeys {
  /** The library's message id. */
  messageId: string;
  /** The unit's key within the message (see RecordUnit). Absent: the adapter keeps one event per message. */
  unit?: string;
  /** The message's own `metadata` (JSON). */
  metadata: string;
  /** The message's `createdAt` (ISO), when the library has one. */
  createdAt?: string;
  /**
   * Keep any JSON metadata, `{}` and null included (the AI SDK's way). Default: only a non-empty
   * object is kept.
   */
  keepEmptyMetadata?: boolean;
}

/** What a link reads off a library's message. */
export interface LinkedMessage {
  id: string;
  metadata?: unknown;
  createdAt?: unknown;
}

/** The metadata tying an event to message `message` and its unit `unitKey`. */
export function linkMetadata(
  keys: LinkKeys,
  message: LinkedMessage,
  unitKey?: string,
): Record<string, unknown> {
  const link: Record<string, unknown> = { [keys.messageId]: message.id };
  if (keys.unit !== undefined && unitKey !== undefined) link[keys.unit] = unitKey;
  if (keys.createdAt !== undefined) {
    const createdAt = isoDate(message.createdAt);
    if (createdAt !== undefined) link[keys.createdAt] = createdAt;
  }
  const metadata = linkedMetadata(keys, message.metadata);
  if (metadata !== undefined) link[keys.metadata] = metadata;
  return link;
}

/** The message metadata a link stores, by the keys' rule (undefined: none). */
export function linkedMetadata(keys: LinkKeys, metadata: unknown): unknown {
  return keys.keepEmptyMetadata ? plainJson(metadata) : metadataJson(metadata);
}

/** Which message and unit an event records, if it carries a link. */
export function linkOf(
  keys: LinkKeys,
  event: SessionEvent,
): { messageId: string; unit: string | undefined } | undefined {
  const messageId = event.metadata?.[keys.messageId];
  if (typeof messageId !== 'string') return undefined;
  const unit = keys.unit === undefined ? undefined : event.metadata[keys.unit];
  return { messageId, unit: typeof unit === 'string' ? unit : undefined };
}

function isoDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}
