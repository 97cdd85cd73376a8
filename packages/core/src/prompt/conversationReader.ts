import type { SessionStore } from '../storage/sessionStore.ts';
import { EventSource, EventType, type SessionEvent } from '../domain/types.ts';

const PAGE_SIZE = 64;
const FIRST_PAGE = 16;

/**
 * Reads a conversation's events from the newest end, a page at a time, so a prompt built from
 * the last few turns costs the same with 100 or 100,000 stored events.
 */
export class ConversationReader {
  private readonly store: SessionStore;
  /** Segment ids, root first. */
  private readonly segmentIds: readonly string[];
  constructor(store: SessionStore, segmentIds: readonly string[]) {
    this.store = store;
    this.segmentIds = segmentIds;
  }

  /** Events newest first; across every segment, or only the newest one. */
  async *newestFirst(options: { headOnly?: boolean } = {}): AsyncGenerator<SessionEvent> {
    const segments = options.headOnly ? this.segmentIds.slice(-1) : this.segmentIds;
    for (let s = segments.length - 1; s >= 0; s--) {
      let beforeSeq: number | undefined;
      while (true) {
        const range = beforeSeq === undefined ? {} : { beforeSeq };
        const page = await this.store.getEvents(segments[s]!, { ...range, reverse: true, limit: PAGE_SIZE });
        yield* page;
        if (page.length < PAGE_SIZE) break;
        beforeSeq = page[page.length - 1]!.seq;
      }
    }
  }

  /** The conversation's first user message (usually the root segment's first event). */
  async firstUserMessage(): Promise<SessionEvent | undefined> {
    for (const id of this.segmentIds) {
      const start = await this.store.getEvents(id, { limit: FIRST_PAGE });
      const all = start.length < FIRST_PAGE ? start : await this.store.getEvents(id);
      const found = all.find(isUserMessage);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * User and assistant messages of the last `turns` turns, oldest first. A turn starts at a user
   * message; assistant messages before the first user message count only when history runs out.
   */
  async recentMessages(turns: number, options: { headOnly?: boolean } = {}): Promise<SessionEvent[]> {
    const kept: SessionEvent[] = [];
    let users = 0;
    for await (const e of this.newestFirst(options)) {
      if (!isChatMessage(e)) continue;
      kept.push(e);
      if (isUserMessage(e) && ++users === turns) break;
    }
    return kept.reverse();
  }

  /** The latest summary written before the newest segment (a rollover's bridge), if any. */
  async latestSummary(): Promise<string | undefined> {
    const parent = this.segmentIds[this.segmentIds.length - 2];
    if (parent === undefined) return undefined;
    for await (const e of new ConversationReader(this.store, [parent]).newestFirst()) {
      if (e.type === EventType.SUMMARY && typeof e.message === 'string') return e.message;
    }
    return undefined;
  }
}

export function isUserMessage(e: SessionEvent): boolean {
  return e.type === EventType.MESSAGE && e.source === EventSource.USER && typeof e.message === 'string';
}

export function isAssistantMessage(e: SessionEvent): boolean {
  return e.type === EventType.MESSAGE && e.source === EventSource.LLM && typeof e.message === 'string';
}

export function isChatMessage(e: SessionEvent): boolean {
  return isUserMessage(e) || isAssistantMessage(e);
}
