import { SessionManagerError } from '../domain/errors.ts';
import type { SessionTotals } from '../domain/types.ts';

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A run as stored in the conversation's root segment (`state.runs[id]`). Plain JSON. */
export interface RunRecord {
  id: string;
  status: RunStatus;
  metadata: Record<string, unknown>;
  createdAt: string;
  /** When it became `running`; null while pending, or if it ended without starting. */
  startedAt: string | null;
  /** When it reached a final status; null until then. */
  endedAt: string | null;
  /** Why it failed or was cancelled. */
  reason: string | null;
}

export interface RunTokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimatedCostUsd: number;
  /** Events recorded during the run. */
  events: number;
}

export interface RunStats {
  run: RunRecord;
  /** Milliseconds; null while pending or running. */
  duration: number | null;
  /** Totals over the run's events (found by `taskId`), in every segment they landed in. */
  totals: SessionTotals;
}

/** A transition the run's status does not allow, e.g. completing a run that already failed. */
export class RunStateError extends SessionManagerError {
  override name = 'RunStateError';
  readonly runId: string;
  readonly status: RunStatus;
  constructor(message: string, runId: string, status: RunStatus) {
    super(message);
    this.runId = runId;
    this.status = status;
  }
}

const FINAL: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

// pending → running | failed | cancelled; running → completed | failed | cancelled; final states are final.
const ALLOWED: Record<RunStatus, readonly RunStatus[]> = {
  pending: ['running', 'failed', 'cancelled'],
  running: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

export function isFinalRunStatus(status: RunStatus): boolean {
  return FINAL.includes(status);
}

/** The record after moving to `to` at `at`; throws RunStateError when the move is not allowed. */
export function transitionRun(
  record: RunRecord,
  to: RunStatus,
  at: string,
  reason: string | null = null,
): RunRecord {
  if (!ALLOWED[record.status].includes(to)) {
    const why = isFinalRunStatus(record.status)
      ? `it is already ${record.status}, and a finished run cannot change`
      : `a ${record.status} run can only become ${ALLOWED[record.status].join(', ')}`;
    throw new RunStateError(`Cannot mark run "${record.id}" ${to}: ${why}.`, record.id, record.status);
  }
  const next: RunRecord = { ...record, status: to };
  if (to === 'running') next.startedAt = at;
  if (isFinalRunStatus(to)) {
    next.endedAt = at;
    next.reason = reason;
  }
  return next;
}

/** Milliseconds from start to end; null while pending or running, or when it never started. */
export function runDuration(record: RunRecord): number | null {
  if (record.startedAt === null || record.endedAt === null) return null;
  return Date.parse(record.endedAt) - Date.parse(record.startedAt);
}
