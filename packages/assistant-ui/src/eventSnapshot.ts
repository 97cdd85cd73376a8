import type { Session, SessionEvent, SessionManager } from '@ai-session-manager/core';
import { type ThreadTree, threadTree } from './threadTree.ts';

/** The thread as stored, read for one job. */
export interface Read {
  manager: SessionManager;
  tree: ThreadTree;
  headSessionId: string | undefined;
  activeLeafId: string | undefined;
}

/** The thread's events as last read, valid while the head row says nothing else was written. */
interface Snapshot {
  conversationId: string;
  headId: string;
  /** The head row's `totals.events` when read. */
  count: number;
  stamp: string;
  events: SessionEvent[];
}

/** What one write job did: events appended, events rewritten (as stored after). */
interface Ledger {
  appended: number;
  updated: SessionEvent[];
  /** The head row changed (a selection): take its new stamp. */
  touched: boolean;
}

/**
 * The thread's events kept between jobs. Events are read whole the first time, for a full read,
 * and whenever the head row says someone else wrote since (its stamp moved); otherwise from the
 * snapshot, kept up to date with this adapter's own writes, so a write reads one row.
 */
export class EventSnapshot {
  private snapshot: Snapshot | undefined;
  private ledger: Ledger = emptyLedger();

  async read(manager: SessionManager, full = false): Promise<Read> {
    await manager.ready();
    const store = manager.store;
    const snap = this.snapshot;
    if (!full && snap?.conversationId === manager.conversationId) {
      const head = await store.getHead(manager.conversationId);
      if (head && stampOf(head) === snap.stamp) return readOf(manager, snap.events, head);
    }
    const segments = await store.getSegments(manager.conversationId);
    const head = segments[segments.length - 1];
    const perSegment = await Promise.all(segments.map((s) => store.getEvents(s.id)));
    const events = perSegment.flat();
    this.snapshot = head
      ? {
          conversationId: manager.conversationId,
          headId: head.id,
          count: head.totals.events,
          stamp: stampOf(head),
          events,
        }
      : undefined;
    return readOf(manager, events, head);
  }

  /** A write job starts: nothing noted yet. */
  beginJob(): void {
    this.ledger = emptyLedger();
  }

  noteAppended(count = 1): void {
    this.ledger.appended += count;
  }

  /** Note an event this job rewrote, as stored after. */
  noteUpdated(event: SessionEvent): void {
    this.ledger.updated.push(event);
  }

  noteTouched(): void {
    this.ledger.touched = true;
  }

  /** The next read is a whole one. */
  drop(): void {
    this.snapshot = undefined;
  }

  /**
   * After a job: the events it appended are read back (the last ones of the head) when the head
   * row shows no other writer appended meanwhile; otherwise the next read is a whole one.
   */
  async advance(manager: SessionManager | undefined): Promise<void> {
    const { appended, updated, touched } = this.ledger;
    const snap = this.snapshot;
    this.snapshot = undefined;
    if (!snap || !manager || snap.conversationId !== manager.conversationId) return;
    if (appended === 0 && updated.length === 0 && !touched) {
      this.snapshot = snap;
      return;
    }
    const store = manager.store;
    const head = await store.getHead(manager.conversationId);
    if (!head || head.id !== snap.headId || head.totals.events !== snap.count + appended) return;
    const fresh = appended
      ? (await store.getEvents(head.id, { reverse: true, limit: appended })).reverse()
      : [];
    const byId = new Map(updated.map((e) => [e.id, e]));
    const events = [...snap.events.map((e) => byId.get(e.id) ?? e), ...fresh];
    this.snapshot = { ...snap, count: head.totals.events, stamp: stampOf(head), events };
  }
}

function emptyLedger(): Ledger {
  return { appended: 0, updated: [], touched: false };
}

/** What changes on the head row with every write that matters here (appends, counts, selection). */
function stampOf(head: Session): string {
  return JSON.stringify([
    head.id,
    head.totals.events,
    head.totals.messages,
    head.updatedAt,
    head.state.activeLeafId ?? null,
  ]);
}

function readOf(manager: SessionManager, events: SessionEvent[], head: Session | undefined): Read {
  const leaf = head?.state.activeLeafId;
  const activeLeafId = typeof leaf === 'string' ? leaf : undefined;
  return { manager, tree: threadTree(events, activeLeafId), headSessionId: head?.id, activeLeafId };
}
