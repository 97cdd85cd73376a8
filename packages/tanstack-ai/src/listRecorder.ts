import type { SessionManager } from '@ai-session-manager/core';
import type { IdLedger } from '@ai-session-manager/core/record';
import type { UIMessage } from '@tanstack/ai-client';
import { droppedFrom, dropsReply, sharedStart, textLength } from './listDiff.ts';
import { messageUnits } from './messageUnits.ts';
import type { MessageVersions } from './messageVersions.ts';
import type { MessageWriter } from './messageWriter.ts';
import type { ChatResumeSnapshot, ResumePointer } from './resumePointer.ts';
import type { RunEnd } from './runEnd.ts';
import type { EndingRun } from './threadWriteWorker.ts';

/** How long a run's end waits for the chat to show every streamed delta before it is applied anyway. */
const END_WAIT_MS = 2_000;

export interface ListRecorderParts {
  ledger: IdLedger;
  versions: MessageVersions;
  writer: MessageWriter;
  resume: ResumePointer;
  /** The thread's conversation (created with `create`). */
  open(create: boolean): Promise<SessionManager | undefined>;
}

/**
 * Diffs each list the chat hands over against the last one, by message id, and has what
 * changed written: dropped messages (reload, an edit) become versions, a run's end finishes its
 * reply. Cost per list: a pointer comparison per message (TanStack hands new lists that reuse
 * the objects of unchanged messages), plus the work on the messages that changed.
 */
export class ListRecorder {
  private readonly parts: ListRecorderParts;
  /** Messages stored whole and finished: skipped by every later diff. */
  private readonly settled = new Set<string>();
  /** Messages whose run ended: their last text is complete. */
  private readonly done = new Set<string>();
  /** The chat's list as last applied (or as getItem handed it to the chat). */
  private lastList: readonly UIMessage[] = [];
  /** Every message below this index of `lastList` is settled: a later list holding the same objects skips them. */
  private frontier = 0;
  private readonly runEnds = new Map<string, RunEnd>();

  constructor(parts: ListRecorderParts) {
    this.parts = parts;
  }

  /** A run ended: kept per message, so a reply finished by a later message still gets its run's usage or abort. */
  noteRun(end: RunEnd): void {
    for (const id of end.textLengths?.keys() ?? []) this.runEnds.set(id, end);
  }

  /** The chat starts from `messages` (read from the store): they are stored and finished as far as it is concerned. */
  shown(messages: readonly UIMessage[]): void {
    this.lastList = messages;
    this.frontier = 0;
    for (const m of messages) {
      this.done.add(m.id);
      // Stored whole (no tool call still waiting for its output): no later diff needs to look at it.
      if (messageUnits(m, true).every((u) => u.complete && this.parts.ledger.has(m.id, u.key)))
        this.settled.add(m.id);
    }
  }

  /** The conversation is gone: the next list is recorded from the start (what the chat showed is kept). */
  forget(): void {
    this.settled.clear();
    this.frontier = 0;
  }

  /** The chat was cleared: it shows nothing. */
  clear(): void {
    this.forget();
    this.done.clear();
    this.lastList = [];
  }

  async apply(list: readonly UIMessage[], resume?: ChatResumeSnapshot, end?: RunEnd): Promise<void> {
    const previous = this.lastList;
    const k = sharedStart(previous, list);
    if (k < previous.length) {
      const gone = droppedFrom(previous, list, k);
      if (gone.length > 0) await this.truncated(gone, k);
    }
    this.lastList = list;
    let frontier = Math.min(this.frontier, k);
    if (list.length > 0 || resume) {
      const manager = (await this.parts.open(true)) as SessionManager;
      for (let i = 0; i < list.length; i++) {
        const message = list[i]!;
        const unchanged = message === previous[i];
        if (i < frontier && unchanged) continue;
        // A settled message the chat changed is looked at again: a run's end can be seen before
        // the chat shows its last chunks (a tool call), and a client tool's output comes later.
        if (message.role === 'system' || (this.settled.has(message.id) && unchanged)) {
          if (i === frontier) frontier++;
          continue;
        }
        const last = i === list.length - 1;
        await this.record(manager, message, i, this.done.has(message.id) || !last, last ? end : undefined);
        if (i === frontier && this.settled.has(message.id)) frontier++;
      }
    }
    this.frontier = frontier;
    if (end === undefined) await this.parts.resume.save(resume, this.parts.open);
  }

  /** The chat's last list once more (its writes were refused: they go again). */
  applyAgain(): Promise<void> {
    return this.apply(this.lastList);
  }

  applyEnd(end: RunEnd): Promise<void> {
    for (let i = this.frontier; i < this.lastList.length; i++) this.done.add(this.lastList[i]!.id);
    return this.apply(this.lastList, undefined, end);
  }

  /** Whether the run's end goes in now, before list `next` (undefined: no list waits). */
  endReady(end: EndingRun, next: readonly UIMessage[] | undefined): boolean {
    return (
      this.caughtUp(end, next === undefined) ||
      (next !== undefined && dropsReply(this.lastList, next, end.textLengths?.keys() ?? []))
    );
  }

  /** Whether the chat shows all the text the run streamed (aborted runs show what they show). */
  private caughtUp(end: EndingRun, nothingWaits: boolean): boolean {
    // A stopped chat shows what it had: every list it handed over before the stop is applied first.
    if (end.aborted) return nothingWaits;
    if (!end.textLengths || Date.now() - end.at > END_WAIT_MS) return true;
    for (const [id, length] of end.textLengths) {
      let message: UIMessage | undefined;
      for (let i = this.lastList.length - 1; i >= 0 && !message; i--) {
        if (this.lastList[i]!.id === id) message = this.lastList[i];
      }
      if (!message || textLength(message) < length) return false;
    }
    return true;
  }

  /** The chat dropped `removed` (from index `at`): reload, an edit, or a list set by hand. */
  private async truncated(removed: string[], at: number): Promise<void> {
    const { writer, versions, ledger } = this.parts;
    const live = writer.live;
    if (live && removed.includes(live.text.messageId)) await writer.endLive({ aborted: true });
    const first = removed[0]!;
    versions.dropped(first, at);
    // Ids that come back after this are new messages (TanStack may reuse an id on reload).
    for (const id of removed) {
      if (id !== first) ledger.forget(id);
      this.settled.delete(id);
      this.done.delete(id);
    }
  }

  private async record(
    manager: SessionManager,
    message: UIMessage,
    index: number,
    done: boolean,
    end: RunEnd | undefined,
  ): Promise<void> {
    const { writer, versions } = this.parts;
    versions.noteRole(message.id, message.role);
    const versionOf = await versions.versionOf(manager, message, index);
    if (await writer.record(manager, message, done, end ?? this.shownEnd(message), versionOf)) {
      this.settled.add(message.id);
    }
  }

  /**
   * The end of the run that streamed into `message`, once the list shows all the text it
   * streamed: a list from before the end (text, then a tool call, the run's last text still to
   * come) must not put the run's usage on a text that is not its last.
   */
  private shownEnd(message: UIMessage): RunEnd | undefined {
    const end = this.runEnds.get(message.id);
    return end && textLength(message) >= (end.textLengths?.get(message.id) ?? 0) ? end : undefined;
  }
}
