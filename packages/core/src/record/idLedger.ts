import type { SessionEvent } from './fromCore.ts';
import { type LinkKeys, linkOf } from './messageLink.ts';

/** An event id, or null when the unit is known to be stored but its event id was not needed. */
export type StoredId = string | null;

/**
 * Which events record which library message: per message id, its units and their event ids.
 * Filled by the adapter's own writes and learnt from stored events (any tab's) through their
 * link metadata, so a unit is never written twice. Kept in memory; the links are what persist.
 */
export class IdLedger {
  readonly keys: LinkKeys;
  private readonly byMessage = new Map<string, Map<string, StoredId>>();
  private readonly messageOfEvent = new Map<string, string>();

  constructor(keys: LinkKeys) {
    this.keys = keys;
  }

  /** Whether anything of message `messageId` is known to be stored. */
  knows(messageId: string): boolean {
    return this.byMessage.has(messageId);
  }

  has(messageId: string, unit: string): boolean {
    return this.byMessage.get(messageId)?.has(unit) === true;
  }

  /** The unit's event id: a string, null (stored, id unknown), or undefined (not stored). */
  eventId(messageId: string, unit: string): StoredId | undefined {
    return this.byMessage.get(messageId)?.get(unit);
  }

  /** The units stored of a message (empty when none). */
  units(messageId: string): ReadonlyMap<string, StoredId> {
    return this.byMessage.get(messageId) ?? new Map();
  }

  /** The library message an event records, if this ledger holds it. */
  messageOf(eventId: string): string | undefined {
    return this.messageOfEvent.get(eventId);
  }

  set(messageId: string, unit: string, eventId: StoredId): void {
    let units = this.byMessage.get(messageId);
    if (!units) {
      units = new Map();
      this.byMessage.set(messageId, units);
    }
    units.set(unit, eventId);
    if (eventId !== null) this.messageOfEvent.set(eventId, messageId);
  }

  /** The unit is free again (its write failed and may be retried). */
  drop(messageId: string, unit: string): void {
    const eventId = this.byMessage.get(messageId)?.get(unit);
    if (eventId) this.messageOfEvent.delete(eventId);
    this.byMessage.get(messageId)?.delete(unit);
  }

  /** Forget a message (the same id may come back as a new message). */
  forget(messageId: string): void {
    for (const eventId of this.byMessage.get(messageId)?.values() ?? []) {
      if (eventId) this.messageOfEvent.delete(eventId);
    }
    this.byMessage.delete(messageId);
  }

  clear(): void {
    this.byMessage.clear();
    this.messageOfEvent.clear();
  }

  /**
   * Note the linked events in `events`. `unlinked` names the message and unit of an event with
   * no link (core's own calls, imports), when the adapter reads those back as messages too.
   */
  learn(
    events: readonly SessionEvent[],
    unlinked?: (event: SessionEvent) => { messageId: string; unit: string } | undefined,
  ): void {
    for (const e of events) {
      const link = linkOf(this.keys, e);
      const at = link ? { messageId: link.messageId, unit: link.unit ?? e.id } : unlinked?.(e);
      if (at) this.set(at.messageId, at.unit, e.id);
    }
  }
}
