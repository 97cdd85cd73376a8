import type { ChatPersistedState } from '@tanstack/ai-client';
import { sameIds } from './listDiff.ts';
import type { RunEnd } from './runEnd.ts';

/** A run's end, with when it was seen. */
export type EndingRun = RunEnd & { at: number };

/** The writes the worker runs, one at a time; a failure goes to `onError`. */
export interface ThreadJobs {
  apply(state: ChatPersistedState): Promise<void>;
  applyEnd(end: RunEnd): Promise<void>;
  /** The chat emptied its list and handed over the next at once (an edit of the first message): cut it back. */
  cut(): Promise<void>;
  /** The chat was cleared: delete the conversation. */
  clear(): Promise<void>;
  /** The live reply was refused: record the chat's list again. */
  rewriteRefused(): Promise<void>;
  /** Whether the run's end goes in now, before `next` (undefined: no list waits). */
  endReady(end: EndingRun, next: ChatPersistedState | undefined): boolean;
  onError(error: unknown): void;
}

/**
 * Runs a thread's writes one at a time, in order. While one runs, a list with the same
 * messages as the one waiting (a streamed delta) replaces it: only the latest matters.
 */
export class ThreadWriteWorker {
  private readonly jobs: ThreadJobs;
  private pending: ChatPersistedState[] = [];
  private ending: EndingRun | undefined;
  private removal = false;
  private refused = false;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private endTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(jobs: ThreadJobs) {
    this.jobs = jobs;
  }

  submit(state: ChatPersistedState): void {
    // One that adds or drops a message queues behind the one waiting, so no message the chat showed is skipped.
    const last = this.pending[this.pending.length - 1];
    if (last && sameIds(last.messages, state.messages)) this.pending[this.pending.length - 1] = state;
    else this.pending.push(state);
    this.kick();
  }

  endRun(end: RunEnd): void {
    this.ending = { ...end, at: Date.now() };
    this.kick();
  }

  /** The chat's list went (after the writes before it): what waits is dropped. */
  remove(): void {
    this.pending = [];
    this.ending = undefined;
    this.removal = true;
    this.kick();
  }

  rewriteRefused(): void {
    this.refused = true;
    this.kick();
  }

  /** Resolves once nothing is running or waiting. */
  whenIdle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private busy(): boolean {
    return (
      this.running || this.pending.length > 0 || this.removal || this.ending !== undefined || this.refused
    );
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.removal) {
          this.removal = false;
          // ChatClient hands an emptied list over as removeItem, the call clear() makes: an edit
          // of the first message (setMessages([]), then a send) is told apart by its next list,
          // which comes in the same task. Then the list is cut back (a version follows), not deleted.
          await new Promise((resolve) => setTimeout(resolve, 0));
          const cut = this.pending.length > 0 && !this.removal;
          await this.run(() => (cut ? this.jobs.cut() : this.jobs.clear()));
          continue;
        }
        // A run's end goes in as soon as the chat shows all it streamed, before any later list
        // (one that drops its reply, as reload does, must not catch that reply unfinished).
        const ending = this.ending;
        const next = this.pending[0];
        if (ending && this.jobs.endReady(ending, next)) {
          this.ending = undefined;
          await this.run(() => this.jobs.applyEnd(ending));
          continue;
        }
        if (next) {
          this.pending.shift();
          await this.run(() => this.jobs.apply(next));
          continue;
        }
        if (this.refused) {
          this.refused = false;
          await this.run(() => this.jobs.rewriteRefused());
          continue;
        }
        if (ending) {
          // The chat has not shown the run's last deltas yet: its next setItem (or this timer) comes back.
          this.endTimer ??= setTimeout(() => {
            this.endTimer = undefined;
            this.kick();
          }, 20);
        }
        break;
      }
    } finally {
      this.running = false;
      if (!this.busy()) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      } else if (this.pending.length > 0 || this.removal || this.refused) {
        this.kick();
      }
    }
  }

  private async run(job: () => Promise<void>): Promise<void> {
    try {
      await job();
    } catch (error) {
      this.jobs.onError(error);
    }
  }
}
