// Conversation-level reads and writes of SessionManager: the metadata patch and the stats' chain read.
import { InvalidInputError } from '../domain/errors.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import type { Session } from '../domain/types.ts';
import { toJsonRecord } from '../domain/jsonValue.ts';
import { type Scrubber, scrubRecord } from '../domain/scrubSecrets.ts';

/**
 * Merge `patch` (a plain JSON object) into the conversation's root row metadata. Resolves to
 * the merged metadata and the head as it is now (its list marker moved).
 */
export async function mergeMetadata(
  store: SessionStore,
  head: Session,
  patch: unknown,
  scrub?: Scrubber,
): Promise<{ metadata: Record<string, unknown>; head: Session }> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new InvalidInputError('updateMetadata takes a plain object of JSON values.', 'metadata');
  }
  const json = scrubRecord(toJsonRecord(patch, 'metadata'), scrub);
  // Merged into the root as stored, in the write's transaction: another tab's keys stay.
  const updated = await store.patchSession(head.rootId, (root) => ({
    metadata: { ...root.metadata, ...json },
  }));
  const now = updated.id === head.id ? updated : ((await store.getHead(head.rootId)) ?? head);
  return { metadata: updated.metadata, head: now };
}

/** Stats list at most this many segment ids (the newest): opening stats costs the same at any length. */
export const CHAIN_IDS = 100;

/**
 * Root, head and the newest CHAIN_IDS segment ids for stats, whatever the segment count: the
 * head row (where the range starts), then root and head with a bounded range of index keys.
 * null when the store cannot say, or the head has no conversation totals (rows from a store
 * that does not keep them): then stats sum the segments.
 */
export async function readChainEnds(
  store: SessionStore,
  conversationId: string,
): Promise<{ root: Session; head: Session; chain: string[] } | null> {
  const read = store.getChainEnds?.bind(store);
  if (!read) return null;
  // Where the head is tells where the newest ids start.
  let head = await store.getHead(conversationId);
  for (let attempt = 0; head && attempt < 3; attempt++) {
    const from = Math.max(0, head.segmentIndex + 1 - CHAIN_IDS);
    const ends = await read(conversationId, from);
    if (!ends) return null;
    const complete =
      ends.ids.length === ends.head.segmentIndex + 1 - from && ends.ids.at(-1) === ends.head.id;
    // A rollover landed between the two reads: again from the new head.
    if (!complete) {
      head = ends.head;
      continue;
    }
    if (ends.head.segmentIndex > 0 && !ends.head.priorTotals) return null;
    return { root: ends.root, head: ends.head, chain: ends.ids };
  }
  return null;
}
