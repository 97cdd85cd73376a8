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

/**
 * Root, head and chain ids for stats: two rows plus the ids of segments added since `known`
 * (segments are only ever added). null when the store cannot say, or the head has no
 * conversation totals (rows from a store that does not keep them): then stats sum the segments.
 */
export async function readChainEnds(
  store: SessionStore,
  conversationId: string,
  known: readonly string[],
): Promise<{ root: Session; head: Session; chain: string[] } | null> {
  const read = store.getChainEnds?.bind(store);
  if (!read) return null;
  const from = Math.max(0, known.length - 1);
  let ends = await read(conversationId, from);
  let chain =
    ends &&
    (from === 0 ? ends.ids : ends.ids[0] === known[from] ? known.slice(0, from).concat(ends.ids) : null);
  if (ends && (!chain || chain.length !== ends.head.segmentIndex + 1 || chain.at(-1) !== ends.head.id)) {
    // The conversation was deleted and imported again, or a write landed between the reads.
    ends = await read(conversationId, 0);
    chain = ends?.ids ?? null;
  }
  if (!ends || !chain || chain.length !== ends.head.segmentIndex + 1) return null;
  if (ends.head.segmentIndex > 0 && !ends.head.priorTotals) return null;
  return { root: ends.root, head: ends.head, chain };
}
