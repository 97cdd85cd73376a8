import { InvalidInputError } from '../domain/errors.ts';
import { newId, nowIso } from '../domain/ids.ts';
import type { SessionStore } from '../storage/sessionStore.ts';
import { addEventToTotals, emptyTotals } from '../domain/totals.ts';
import type { SessionTotals } from '../domain/types.ts';
import { toJsonRecord } from '../domain/jsonValue.ts';
import { scrubRecord } from '../domain/scrubSecrets.ts';
import { assertNonEmptyString, assertString } from '../domain/validate.ts';
import {
  isFinalRunStatus,
  type RunRecord,
  RunStateError,
  type RunStats,
  type RunStatus,
  type RunTokenUsage,
  runDuration,
  transitionRun,
} from './runRecord.ts';
import type { RunHost } from './runHost.ts';
import { readRun, readRuns, writeRun } from './runStorage.ts';

/**
 * A unit of work inside a conversation (upstream's SessionRun, wired up): while it is running,
 * every event its manager records carries `taskId = run.id`. Its record is persisted, so
 * `getRuns()` after a reload shows it; transitions read the stored record first, so a run
 * finished in another tab cannot be finished again here.
 */
export class SessionRun {
  private readonly host: RunHost;
  private readonly conversationId: string;
  private current: RunRecord;
  private constructor(host: RunHost, conversationId: string, current: RunRecord) {
    this.host = host;
    this.conversationId = conversationId;
    this.current = current;
  }

  // The static methods run inside the manager's queue: the manager calls them with its RunHost.

  /** Create (and with `start`, start) a run. Only one run at a time can be running on a manager. */
  static async create(
    host: RunHost,
    metadata: Record<string, unknown> | undefined,
    start = true,
  ): Promise<SessionRun> {
    const meta = scrubRecord(toJsonRecord(metadata, 'metadata'), host.scrub);
    if (start) assertNoActiveRun(host);
    const conversationId = await host.ensureConversation();
    const now = nowIso();
    let record: RunRecord = {
      id: newId(),
      status: 'pending',
      metadata: meta,
      createdAt: now,
      startedAt: null,
      endedAt: null,
      reason: null,
    };
    if (start) record = transitionRun(record, 'running', now);
    await writeRun(host.store, conversationId, record.id, () => record);
    if (start) host.setActiveRunId(record.id);
    return new SessionRun(host, conversationId, record);
  }

  /** A handle on a stored run of the manager's conversation, e.g. to end one left running before a reload. */
  static async open(host: RunHost, runId: string): Promise<SessionRun | undefined> {
    const record = await readRun(host.store, host.conversationId(), runId);
    return record && new SessionRun(host, host.conversationId(), record);
  }

  static list(host: RunHost): Promise<RunRecord[]> {
    return readRuns(host.store, host.conversationId());
  }

  static async stats(host: RunHost, runId: string): Promise<RunStats> {
    assertNonEmptyString(runId, 'runId');
    const run = await readRun(host.store, host.conversationId(), runId);
    if (!run)
      throw new InvalidInputError(`No run "${runId}" in conversation "${host.conversationId()}".`, 'runId');
    return {
      run,
      duration: runDuration(run),
      totals: await totalsOfRun(host.store, host.conversationId(), runId),
    };
  }

  get id(): string {
    return this.current.id;
  }

  get status(): RunStatus {
    return this.current.status;
  }

  get metadata(): Record<string, unknown> {
    return structuredClone(this.current.metadata);
  }

  get startedAt(): string | null {
    return this.current.startedAt;
  }

  get endedAt(): string | null {
    return this.current.endedAt;
  }

  get reason(): string | null {
    return this.current.reason;
  }

  /** Milliseconds from start to end; null while pending or running. */
  get duration(): number | null {
    return runDuration(this.current);
  }

  /** A copy of the run's record as last read or written by this handle. */
  get record(): RunRecord {
    return structuredClone(this.current);
  }

  /** Start a pending run; from now on the manager's events carry its id. */
  start(): Promise<void> {
    return this.move('running');
  }

  complete(): Promise<void> {
    return this.move('completed');
  }

  fail(reason?: string): Promise<void> {
    return this.move('failed', reason);
  }

  cancel(reason?: string): Promise<void> {
    return this.move('cancelled', reason);
  }

  /** Tokens and cost of the events recorded during this run. */
  getTokenUsage(): Promise<RunTokenUsage> {
    return this.host.serial(async () => {
      const t = await totalsOfRun(this.host.store, this.conversationId, this.id);
      return {
        promptTokens: t.promptTokens,
        completionTokens: t.completionTokens,
        totalTokens: t.totalTokens,
        estimatedCostUsd: t.estimatedCostUsd,
        events: t.events,
      };
    });
  }

  private move(to: RunStatus, reason?: string): Promise<void> {
    return this.host.serial(async () => {
      if (reason !== undefined) assertString(reason, 'reason');
      if (to === 'running') assertNoActiveRun(this.host);
      // The stored record wins over ours (another tab may have finished this run): the move is
      // checked against it in the write's transaction.
      let seen = this.current;
      try {
        this.current = await writeRun(this.host.store, this.conversationId, this.id, (stored) => {
          seen = stored ?? this.current;
          return transitionRun(seen, to, nowIso(), reason === undefined ? null : this.host.scrub(reason));
        });
      } catch (error) {
        this.current = seen;
        if (isFinalRunStatus(seen.status)) this.release();
        throw error;
      }
      if (to === 'running') this.host.setActiveRunId(this.id);
      else this.release();
    });
  }

  /** Stop tagging this manager's events with this run, if it was the one tagging them. */
  private release(): void {
    if (this.host.activeRunId() === this.id) this.host.setActiveRunId(undefined);
  }
}

function assertNoActiveRun(host: RunHost): void {
  const active = host.activeRunId();
  if (active !== undefined) {
    throw new RunStateError(
      `Run "${active}" is still running on this manager; complete, fail or cancel it before starting another.`,
      active,
      'running',
    );
  }
}

async function totalsOfRun(
  store: SessionStore,
  conversationId: string,
  runId: string,
): Promise<SessionTotals> {
  const segments = new Set((await store.getSegments(conversationId)).map((s) => s.id));
  // Only this conversation's: a copy imported under new segment ids may still carry the same taskId.
  const events = (await store.getEventsByTask(runId)).filter((e) => segments.has(e.sessionId));
  // Chronological, so the float sum of costs adds up in the order the segments' totals did.
  events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.seq - b.seq));
  return events.reduce(addEventToTotals, emptyTotals());
}
