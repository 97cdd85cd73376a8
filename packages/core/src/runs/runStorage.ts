// Runs live in the root segment's `state.runs`, keyed by run id: the root row is stable across
// rollovers, travels with export/import, and needs no schema change. Each write re-reads the row
// and patches only `state`, so events and totals written meanwhile are never overwritten.
// Limit: two tabs changing runs of one conversation at the same instant can lose one change
// (read-patch-write without a store-level transaction); one manager's run writes are serialized.
import { SessionNotFoundError } from '../domain/errors.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import type { RunRecord, RunStatus } from './runRecord.ts';

const STATUSES: readonly RunStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];

/** Every run recorded on a conversation, oldest first. */
export async function readRuns(store: SessionStore, conversationId: string): Promise<RunRecord[]> {
  const root = await store.getSession(conversationId);
  return Object.values(runsIn(root?.state)).sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  );
}

export async function readRun(
  store: SessionStore,
  conversationId: string,
  runId: string,
): Promise<RunRecord | undefined> {
  const root = await store.getSession(conversationId);
  return runsIn(root?.state)[runId];
}

export async function writeRun(
  store: SessionStore,
  conversationId: string,
  record: RunRecord,
): Promise<void> {
  const root = await store.getSession(conversationId);
  if (!root) throw new SessionNotFoundError(conversationId);
  const runs: Record<string, RunRecord> = Object.assign(Object.create(null), runsIn(root.state));
  runs[record.id] = record;
  await store.updateSession(conversationId, { state: { ...root.state, runs } });
}

/** Well-formed run records in a segment's state; anything else there is ignored, not trusted. */
function runsIn(state: Record<string, unknown> | undefined): Record<string, RunRecord> {
  const raw = state?.runs;
  // No prototype: a run id such as "toString" or "__proto__" is a key like any other.
  const runs: Record<string, RunRecord> = Object.create(null);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return runs;
  for (const [id, value] of Object.entries(raw)) {
    if (isRunRecord(value) && value.id === id) runs[id] = value;
  }
  return runs;
}

function isRunRecord(value: unknown): value is RunRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Partial<RunRecord>;
  return (
    typeof r.id === 'string' &&
    typeof r.status === 'string' &&
    STATUSES.includes(r.status) &&
    typeof r.createdAt === 'string' &&
    !!r.metadata &&
    typeof r.metadata === 'object'
  );
}
