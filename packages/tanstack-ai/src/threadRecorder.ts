import {
  EventSource,
  EventType,
  type ProviderUsage,
  type SessionEvent,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';
import { IdLedger } from '@ai-session-manager/core/record';
import type { ChatPersistedState, UIMessage } from '@tanstack/ai-client';
import { droppedFrom, dropsReply, sharedStart, textLength } from './listDiff.ts';
import { messageUnits } from './messageUnits.ts';
import { MessageVersions } from './messageVersions.ts';
import { MessageWriter } from './messageWriter.ts';
import { ReplyBilling } from './replyBilling.ts';
import { type ChatResumeSnapshot, ResumePointer } from './resumePointer.ts';
import type { RunEnd } from './runEnd.ts';
import { MESSAGE_ID, MESSAGE_UNIT, storedMessages, TANSTACK_LINK } from './storedMessages.ts';
import { ThreadConversation } from './threadConversation.ts';
import { type EndingRun, ThreadWriteWorker } from './threadWriteWorker.ts';

export interface ThreadRecorderOptions {
  store: SessionStore;
  /** SessionManager options for the conversations created or opened (not `sessionId`, `store`). */
  session: Omit<SessionManagerOptions, 'sessionId' | 'store'>;
  model?: string;
  provider?: string;
  usage?: (message: UIMessage) => ProviderUsage | undefined;
  flushMs?: number;
  leaseMs?: number;
  onError: (error: unknown) => void;
}

/** How long a run's end waits for the chat to show every streamed delta before it is applied anyway. */
const END_WAIT_MS = 2_000;

/**
 * Records one TanStack thread into one conversation: diffs each `setItem` list by message id
 * against what this recorder stored and appends only what is new, one write at a time, in order.
 */
export class ThreadRecorder {
  readonly threadId: string;
  private readonly options: ThreadRecorderOptions;
  private readonly ledger = new IdLedger(TANSTACK_LINK);
  private readonly versions = new MessageVersions(this.ledger);
  private readonly billing: ReplyBilling;
  private readonly writer: MessageWriter;
  private readonly conversation: ThreadConversation;
  private readonly resume = new ResumePointer();
  private readonly worker: ThreadWriteWorker;
  /** Messages stored whole and finished: skipped by every later diff. */
  private readonly settled = new Set<string>();
  /** Messages whose run ended: their last text is complete. */
  private readonly done = new Set<string>();
  /** The chat's list as last applied (or as getItem handed it to the chat). */
  private lastList: readonly UIMessage[] = [];
  /** Every message below this index of `lastList` is settled: a later list holding the same objects skips them. */
  private frontier = 0;
  /** Whether the last list the chat handed over had messages: only then is a removeItem a clear. */
  private chatHasMessages = false;
  private readonly runEnds = new Map<string, RunEnd>();

  constructor(threadId: string, options: ThreadRecorderOptions) {
    this.threadId = threadId;
    this.options = options;
    this.billing = new ReplyBilling(options.usage, this.ledger);
    this.writer = new MessageWriter(options, this.ledger, this.versions, this.billing);
    this.conversation = new ThreadConversation(threadId, options.store, options.session, (events) =>
      this.learn(events),
    );
    this.worker = new ThreadWriteWorker({
      apply: (state) => this.rewriteIfDeleted(() => this.apply(state.messages, state.resume)),
      applyEnd: (end) => this.rewriteIfDeleted(() => this.applyEnd(end)),
      cut: () => this.rewriteIfDeleted(() => this.apply([])),
      clear: () => this.deleteConversation(),
      rewriteRefused: () => this.rewriteIfDeleted(() => this.applyRefused()),
      endReady: (end, next) =>
        this.caughtUp(end, next === undefined) ||
        (next !== undefined && dropsReply(this.lastList, next.messages, end.textLengths?.keys() ?? [])),
      onError: options.onError,
    });
  }

  /** The latest list from the chat; written in the background. */
  submit(state: ChatPersistedState): void {
    this.chatHasMessages = state.messages.length > 0;
    this.worker.submit(state);
  }

  /** The run that produced the chat's last messages ended (finished, stopped or failed). */
  endRun(end: RunEnd): void {
    // Kept per message too: a reply finished by a later message still gets its run's usage or abort.
    for (const id of end.textLengths?.keys() ?? []) this.runEnds.set(id, end);
    this.worker.endRun(end);
  }

  /**
   * Delete the conversation (after the writes before it), if the chat had messages to clear.
   * ChatClient also calls removeItem whenever its state is momentarily empty, e.g. a stop or a
   * resume-pointer reset at startup, before an async getItem has hydrated it: that call is
   * ignored (TanStack's own adapters are rewritten whole by the next setItem; a deleted
   * conversation would be gone). Returns whether the removal was queued.
   */
  remove(): boolean {
    if (!this.chatHasMessages) return false;
    this.chatHasMessages = false;
    this.worker.remove();
    return true;
  }

  /**
   * Resolves once what the chat shows is stored: everything submitted so far, a live reply's
   * text included. A reply whose write core refused (another tab deleted the conversation) is
   * recorded again, in the thread's next conversation, before this resolves.
   */
  async idle(): Promise<void> {
    for (;;) {
      await this.worker.whenIdle();
      const live = this.writer.live;
      if (live?.stream.status === 'streaming') {
        try {
          await live.stream.flush();
        } catch (error) {
          if (live.stream.status === 'streaming') throw error;
        }
      }
      if (this.writer.live !== live) continue;
      if (live?.stream.status !== 'discarded') return;
      this.worker.rewriteRefused();
    }
  }

  /** The manager of the thread's conversation, created on first write. */
  async getManager(): Promise<SessionManager> {
    await this.idle();
    const manager = await this.current(true);
    if (!manager) throw new Error(`sessionPersistence: no conversation for thread "${this.threadId}"`);
    return manager;
  }

  /** What is stored for the thread, as the chat's state; undefined when nothing is. */
  async read(): Promise<ChatPersistedState | undefined> {
    await this.idle();
    let manager = await this.conversation.open(false, false);
    if (!manager) return undefined;
    const store = this.options.store;
    let segments = await store.getSegments(manager.conversationId);
    if (segments.length === 0) {
      // Another tab deleted the conversation: read the thread's next one, if any.
      this.forgetConversation();
      manager = await this.conversation.open(false, false);
      if (!manager) return undefined;
      segments = await store.getSegments(manager.conversationId);
    }
    const head = segments[segments.length - 1];
    const events = (await Promise.all(segments.map((s) => store.getEvents(s.id)))).flat();
    this.learn(events);
    const leaf = head?.state.activeLeafId;
    const messages = storedMessages(events, typeof leaf === 'string' ? { activeLeafId: leaf } : {});
    // The chat starts from these: they are what it shows, stored and finished as far as it is concerned.
    this.lastList = messages;
    this.frontier = 0;
    for (const m of messages) {
      this.done.add(m.id);
      // Stored whole (no tool call still waiting for its output): no later diff needs to look at it.
      if (messageUnits(m, true).every((u) => u.complete && this.ledger.has(m.id, u.key)))
        this.settled.add(m.id);
    }
    const resume = this.resume.read(segments[0]?.metadata);
    return resume ? { messages, resume } : { messages };
  }

  /**
   * Run a write; when it fails because another tab deleted the conversation (its `clear()`),
   * write the chat's whole list into the thread's next conversation instead. TanStack's own
   * adapters rewrite the whole thread on the next setItem; so nothing the chat shows is lost.
   */
  private async rewriteIfDeleted(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!(await this.conversation.deletedElsewhere())) throw error;
      this.forgetConversation();
      await write();
    }
  }

  /**
   * Forget what was stored (the conversation is gone): the next write records the chat's list
   * from the start. What the chat showed (`lastList`, runs that ended) is kept.
   */
  private forgetConversation(): void {
    this.conversation.forget();
    this.writer.forget();
    this.ledger.clear();
    this.settled.clear();
    this.billing.clear();
    this.frontier = 0;
    this.versions.clear();
    this.resume.forget();
  }

  private async deleteConversation(): Promise<void> {
    await this.writer.discardLive();
    // A clear removes what the thread holds now, as TanStack's adapters remove its key: if another
    // tab deleted our conversation and the thread went on in a new one, that one goes.
    const manager = await this.current(false);
    this.forgetConversation();
    this.done.clear();
    this.lastList = [];
    if (manager) await this.options.store.deleteConversation(manager.conversationId);
  }

  /** The thread's conversation as `open` gives it, once more if another tab deleted the one we held. */
  private async current(create: boolean): Promise<SessionManager | undefined> {
    if (this.conversation.manager && (await this.conversation.deletedElsewhere())) this.forgetConversation();
    return this.conversation.open(create);
  }

  /**
   * Whether the chat shows all the text the run streamed (aborted runs show what they show).
   * `nothingWaits`: no later list from the chat waits to be applied.
   */
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

  private async applyEnd(end: RunEnd): Promise<void> {
    for (let i = this.frontier; i < this.lastList.length; i++) this.done.add(this.lastList[i]!.id);
    await this.apply(this.lastList, undefined, end);
  }

  /** The live reply was refused: its refusal is thrown (see rewriteIfDeleted), then the list is recorded again. */
  private async applyRefused(): Promise<void> {
    this.writer.throwIfRefused();
    await this.apply(this.lastList);
  }

  /**
   * Cost per call: a pointer comparison per message (TanStack hands new lists that reuse the
   * objects of unchanged messages), plus the work on the messages that changed.
   */
  private async apply(list: readonly UIMessage[], resume?: ChatResumeSnapshot, end?: RunEnd): Promise<void> {
    const previous = this.lastList;
    const k = sharedStart(previous, list);
    if (k < previous.length) {
      const gone = droppedFrom(previous, list, k);
      if (gone.length > 0) await this.truncated(gone, k);
    }
    this.lastList = list;
    let frontier = Math.min(this.frontier, k);
    if (list.length > 0 || resume) {
      const manager = (await this.conversation.open(true)) as SessionManager;
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
    if (end === undefined) await this.resume.save(resume, (create) => this.conversation.open(create));
  }

  /** The chat dropped `removed` (from index `at`): reload, an edit, or a list set by hand. */
  private async truncated(removed: string[], at: number): Promise<void> {
    const live = this.writer.live;
    if (live && removed.includes(live.text.messageId)) await this.writer.endLive({ aborted: true });
    const first = removed[0]!;
    this.versions.dropped(first, at);
    // Ids that come back after this are new messages (TanStack may reuse an id on reload).
    for (const id of removed) {
      if (id !== first) this.ledger.forget(id);
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
    this.versions.noteRole(message.id, message.role);
    const versionOf = await this.versions.versionOf(manager, message, index);
    if (await this.writer.record(manager, message, done, end ?? this.shownEnd(message), versionOf)) {
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

  /** Note the units stored in `events` (by any tab), so they are never written again. */
  private learn(events: readonly SessionEvent[]): void {
    for (const e of events) {
      const id = e.metadata[MESSAGE_ID];
      const unit = e.metadata[MESSAGE_UNIT];
      const role = e.source === EventSource.USER ? 'user' : 'assistant';
      if (typeof id === 'string' && typeof unit === 'string') {
        this.ledger.set(id, unit, e.id);
        this.versions.noteRole(id, role);
      } else if (e.type === EventType.MESSAGE) {
        // Written without this package (core, imports): the event id is the message id.
        this.ledger.set(e.id, role === 'user' ? 'text' : 'text-0', e.id);
        this.versions.noteRole(e.id, role);
      }
    }
  }
}
