// Runs live in the root segment's `state.runs`, keyed by run id: the root row is stable across
// rollovers, travels with export/import, and needs no schema change. Each write is a patch of
// that one run, computed from the row as stored in the write's transaction: another tab's runs,
// branch selection and metadata written meanwhile are kept.
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

/**
 * Write run `runId` as `next` makes it from the stored record (undefined: none yet), in the
 * transaction that read it; `next` may throw to refuse. Resolves to the record written.
 */
export async function writeRun(
  store: SessionStore,
  conversationId: string,
  runId: string,
  next: (stored: RunRecord | undefined) => RunRecord,
): Promise<RunRecord> {
  let written: RunRecord | undefined;
  await store.patchSession(conversationId, (root) => {
    const runs: Record<string, RunRecord> = Object.assign(Object.create(null), runsIn(root.state));
    written = next(runs[runId]);
    runs[runId] = written;
    return { state: { ...root.state, runs } };
  });
  return written!;
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
