import {
  type SessionStats,
  type SessionStore,
  statsFromHead,
  statsFromSegments,
} from '@ai-session-manager/core';
import { type Slot, toError } from './liveSlot.ts';
import { replaceEqualDeep } from './replaceEqualDeep.ts';

/** What useSessionStats returns. */
export interface StatsSlice {
  /** Null while loading or while nothing has been recorded. */
  stats: SessionStats | null;
  isLoading: boolean;
  error: Error | null;
}

export const LOADING_STATS: StatsSlice = Object.freeze({ stats: null, isLoading: true, error: null });
export const IDLE_STATS: StatsSlice = Object.freeze({ stats: null, isLoading: false, error: null });

/** One read of a conversation's stats, with the segment ids it knows (to read only new ones next time). */
export interface StatsRead {
  stats: SessionStats | null;
  chain: string[];
}

/**
 * A conversation's stats from running totals; no event is read. With a store that keeps
 * conversation totals on the head (`getChainEnds`, schema v2) it reads two rows and the segment
 * ids past the ones it already knows, whatever the segment count; otherwise every segment row.
 * `infiniteContext` is reported true once the conversation has rolled over (rows do not record the option).
 */
export async function readStats(
  store: SessionStore,
  conversationId: string,
  known: readonly string[],
): Promise<StatsRead> {
  const read = store.getChainEnds?.bind(store);
  if (read) {
    const from = Math.max(0, known.length - 1);
    let ends = await read(conversationId, from);
    let chain =
      ends &&
      (from === 0 ? ends.ids : ends.ids[0] === known[from] ? known.slice(0, from).concat(ends.ids) : null);
    if (ends && (!chain || chain.length !== ends.head.segmentIndex + 1 || chain.at(-1) !== ends.head.id)) {
      // Deleted and imported again, or a write landed between the reads: read every id.
      ends = await read(conversationId, 0);
      chain = ends?.ids ?? null;
    }
    if (
      ends &&
      chain &&
      chain.length === ends.head.segmentIndex + 1 &&
      (chain.length === 1 || ends.head.priorTotals)
    ) {
      const options = { infiniteContext: chain.length > 1, sessionChain: chain };
      return { stats: statsFromHead(ends.root, ends.head, options), chain };
    }
  }
  const segments = await store.getSegments(conversationId);
  if (segments.length === 0) {
    // Accept any segment id, as SessionManager.open does.
    const session = await store.getSession(conversationId);
    if (session && session.rootId !== conversationId) return readStats(store, session.rootId, known);
  }
  return {
    stats: statsFromSegments(segments, { infiniteContext: segments.length > 1 }),
    chain: segments.map((s) => s.id),
  };
}

/** Feed one stats slice from a live query over segment rows. Returns the stop function. */
export function startStatsFeed(
  store: SessionStore,
  conversationId: string,
  slot: Slot<StatsSlice>,
): () => void {
  slot.init(LOADING_STATS);
  const update = (patch: Partial<StatsSlice>) =>
    slot.update((prev) => {
      const next = { ...prev, ...patch, stats: replaceEqualDeep(prev.stats, patch.stats ?? prev.stats) };
      const same =
        next.stats === prev.stats && next.isLoading === prev.isLoading && next.error === prev.error;
      return same ? prev : next;
    });
  let chain: string[] = [];
  return store.watch(async () => readStats(store, conversationId, chain), {
    next: (read) => {
      chain = read.chain;
      update({ stats: read.stats, isLoading: false, error: null });
    },
    error: (error) => update({ isLoading: false, error: toError(error) }),
  });
}
