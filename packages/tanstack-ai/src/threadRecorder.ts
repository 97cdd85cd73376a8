import {
  EventSource,
  EventType,
  type ProviderUsage,
  type Session,
  type SessionEvent,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';
import { IdLedger } from '@ai-session-manager/core/record';
import type { ChatPersistedState, UIMessage } from '@tanstack/ai-client';
import { ListRecorder } from './listRecorder.ts';
import { MessageVersions } from './messageVersions.ts';
import { MessageWriter } from './messageWriter.ts';
import { ReplyBilling } from './replyBilling.ts';
import { ResumePointer } from './resumePointer.ts';
import type { RunEnd } from './runEnd.ts';
import { MESSAGE_ID, MESSAGE_UNIT, storedMessages, TANSTACK_LINK } from './storedMessages.ts';
import { ThreadConversation } from './threadConversation.ts';
import { ThreadWriteWorker } from './threadWriteWorker.ts';

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
  private readonly lists: ListRecorder;
  private readonly worker: ThreadWriteWorker;
  /**
   * Whether the last list the chat handed over had messages, or was saved empty on purpose (no
   * resume pointer: ChatClient never saves that, it removes): only then is a removeItem a clear.
   */
  private chatHasMessages = false;

  constructor(threadId: string, options: ThreadRecorderOptions) {
    this.threadId = threadId;
    this.options = options;
    this.billing = new ReplyBilling(options.usage, this.ledger, options.model);
    this.writer = new MessageWriter(options, this.ledger, this.versions, this.billing);
    this.conversation = new ThreadConversation(threadId, options.store, options.session, (events) =>
      this.learn(events),
    );
    const { ledger, versions, writer, resume } = this;
    const open = (create: boolean) => this.conversation.open(create);
    const lists = new ListRecorder({ ledger, versions, writer, resume, open });
    this.lists = lists;
    this.worker = new ThreadWriteWorker({
      apply: (state) =>
        this.rewriteIfDeleted(async () => {
          if (state.messages.length === 0 && !state.resume) await this.saveEmpty();
          await lists.apply(state.messages, state.resume);
        }),
      applyEnd: (end) => this.rewriteIfDeleted(() => lists.applyEnd(end)),
      cut: () => this.rewriteIfDeleted(() => lists.apply([])),
      clear: () => this.deleteConversation(),
      // The refused reply's refusal is thrown first (see rewriteIfDeleted), then the list goes again.
      rewriteRefused: () =>
        this.rewriteIfDeleted(() => {
          writer.throwIfRefused();
          return lists.applyAgain();
        }),
      endReady: (end, next) => lists.endReady(end, next?.messages),
      onError: options.onError,
    });
  }

  /** The latest list from the chat; written in the background. */
  submit(state: ChatPersistedState): void {
    this.chatHasMessages = state.messages.length > 0 || state.resume === undefined;
    this.worker.submit(state);
  }

  /** The run that produced the chat's last messages ended (finished, stopped or failed). */
  endRun(end: RunEnd): void {
    this.lists.noteRun(end);
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
    const events = await this.events(manager.conversationId, segments);
    this.learn(events);
    const leaf = head?.state.activeLeafId;
    const messages = storedMessages(events, typeof leaf === 'string' ? { activeLeafId: leaf } : {});
    this.lists.shown(messages);
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
    this.lists.forget();
    this.billing.clear();
    this.versions.clear();
    this.resume.forget();
  }

  /**
   * A list saved empty with no resume pointer (by hand: ChatClient removes instead) reads back as
   * [], not as nothing saved: an empty conversation. One holding messages is deleted first, as
   * TanStack's adapters overwrite the thread's key.
   */
  private async saveEmpty(): Promise<void> {
    const manager = await this.current(false);
    if (manager && storedMessages(await this.events(manager.conversationId)).length > 0) {
      await this.deleteConversation();
    }
    await this.conversation.open(true);
  }

  private async deleteConversation(): Promise<void> {
    await this.writer.discardLive();
    // A clear removes what the thread holds now, as TanStack's adapters remove its key: if another
    // tab deleted our conversation and the thread went on in a new one, that one goes.
    const manager = await this.current(false);
    this.forgetConversation();
    this.lists.clear();
    if (manager) await this.options.store.deleteConversation(manager.conversationId);
  }

  /** The thread's conversation as `open` gives it, once more if another tab deleted the one we held. */
  private async current(create: boolean): Promise<SessionManager | undefined> {
    if (this.conversation.manager && (await this.conversation.deletedElsewhere())) this.forgetConversation();
    return this.conversation.open(create);
  }

  /** A conversation's events, all its segments'. */
  private async events(conversationId: string, segments?: readonly Session[]): Promise<SessionEvent[]> {
    const store = this.options.store;
    const all = segments ?? (await store.getSegments(conversationId));
    return (await Promise.all(all.map((s) => store.getEvents(s.id)))).flat();
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
