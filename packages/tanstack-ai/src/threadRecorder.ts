import {
  EventSource,
  EventType,
  type ProviderUsage,
  ReplyStateError,
  type ResponseStream,
  type SessionEvent,
  SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';
import {
  beginReply,
  CompletionTally,
  jsonOrNull,
  linkMetadata,
  metadataJson,
  versionTarget,
} from '@ai-session-manager/core/record';
import type { ChatPersistedState, UIMessage } from '@tanstack/ai-client';

import { dropsReply, sameIds, textLength } from './listDiff.ts';
import { type MessageUnit, messageUnits } from './messageUnits.ts';
import {
  MESSAGE_ID,
  MESSAGE_METADATA,
  MESSAGE_UNIT,
  storedMessages,
  TANSTACK_LINK,
  TOOL_PARTS,
} from './storedMessages.ts';
import { textsCoveredBefore } from './runUsage.ts';
import { createConversation, findConversation, generationOf } from './threadConversation.ts';
import { messageModel, messageUsage, type RunTokens } from './usage.ts';

/** Root metadata this package writes: the chat's resume snapshot. */
export const RESUME = 'tanstackResume';

/** The resume snapshot TanStack persists with the messages (its type is internal to @tanstack/ai-client). */
type ChatResumeSnapshot = NonNullable<ChatPersistedState['resume']>;

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

/** How a run ended, as the wrapped connection saw it. */
export interface RunEnd {
  usage?: RunTokens;
  /** The chat stopped the run (its abort signal fired). */
  aborted?: boolean;
  error?: string;
  /** Per message id, how much text the run streamed into it: the end waits until the chat shows it. */
  textLengths?: Map<string, number>;
}

/** Where a stored unit lives: its event id, when known (a user message's is looked up when needed). */
type Registry = Map<string, string | null>;

interface LiveReply {
  messageId: string;
  key: string;
  reply: ResponseStream;
  appended: number;
  metadata: string | undefined;
}

/** A message the chat removed and replaced at `at`: the next message there is a new version of it. */
interface VersionTarget {
  at: number;
  messageId: string;
  role: UIMessage['role'];
}

/** How long a run's end waits for the chat to show every streamed delta before it is applied anyway. */
const END_WAIT_MS = 2_000;

/**
 * Records one TanStack thread into one conversation: diffs each `setItem` list by message id
 * against what this recorder stored and appends only what is new. Writes run one at a time, in
 * order; while one runs, newer lists replace older ones still waiting (only the latest matters).
 */
export class ThreadRecorder {
  readonly threadId: string;
  private readonly options: ThreadRecorderOptions;
  private manager: SessionManager | undefined;
  private readonly stored = new Map<string, Registry>();
  /** Messages stored whole and finished: skipped by every later diff. */
  private readonly settled = new Set<string>();
  /** Messages whose run ended: their last text is complete. */
  private readonly done = new Set<string>();
  /** The chat's list as last applied (or as getItem handed it to the chat). */
  private lastList: readonly UIMessage[] = [];
  /** Every message below this index of `lastList` is settled: a later list holding the same objects skips them. */
  private frontier = 0;
  private live: LiveReply | undefined;
  private version: VersionTarget | undefined;
  /** The stored message event the next text of chat message `messageId` is a new version of. */
  private versionOf: { messageId: string; of: string } | undefined;
  private pending: ChatPersistedState[] = [];
  private ending: (RunEnd & { at: number }) | undefined;
  private removal = false;
  /** flush() found the live reply refused: the worker records the chat's list again. */
  private refusedLive = false;
  /** Whether the last list the chat handed over had messages: only then is a removeItem a clear. */
  private chatHasMessages = false;
  private readonly runEnds = new Map<string, RunEnd>();
  /** Completion tokens our tokenizer counted for texts finished before a tool call, by event id. */
  private readonly countedTexts = new CompletionTally();
  private storedResume: string | undefined;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private endTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(threadId: string, options: ThreadRecorderOptions) {
    this.threadId = threadId;
    this.options = options;
  }

  /** The latest list from the chat; written in the background. */
  submit(state: ChatPersistedState): void {
    this.chatHasMessages = state.messages.length > 0;
    // A list with the same messages as the one waiting (a streamed delta) replaces it; one that
    // adds or drops a message queues behind it, so no message the chat showed is skipped.
    const last = this.pending[this.pending.length - 1];
    if (last && sameIds(last.messages, state.messages)) this.pending[this.pending.length - 1] = state;
    else this.pending.push(state);
    this.kick();
  }

  /** The run that produced the chat's last messages ended (finished, stopped or failed). */
  endRun(end: RunEnd): void {
    // Kept per message too: a reply finished by a later message still gets its run's usage or abort.
    for (const id of end.textLengths?.keys() ?? []) this.runEnds.set(id, end);
    this.ending = { ...end, at: Date.now() };
    this.kick();
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
    this.pending = [];
    this.ending = undefined;
    this.removal = true;
    this.kick();
    return true;
  }

  /**
   * Resolves once what the chat shows is stored: everything submitted so far, a live reply's
   * text included. A reply whose write core refused (another tab deleted the conversation) is
   * recorded again, in the thread's next conversation, before this resolves.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.busy()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      const live = this.live;
      if (live?.reply.status === 'streaming') {
        try {
          await live.reply.flush();
        } catch (error) {
          if (live.reply.status === 'streaming') throw error;
        }
      }
      if (this.live !== live) continue;
      if (live?.reply.status !== 'discarded') return;
      this.refusedLive = true;
      this.kick();
    }
  }

  private busy(): boolean {
    return (
      this.running || this.pending.length > 0 || this.removal || this.ending !== undefined || this.refusedLive
    );
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
    let manager = await this.open(false, false);
    if (!manager) return undefined;
    const store = this.options.store;
    let segments = await store.getSegments(manager.conversationId);
    if (segments.length === 0) {
      // Another tab deleted the conversation: read the thread's next one, if any.
      this.forgetConversation();
      manager = await this.open(false, false);
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
      const registry = this.stored.get(m.id);
      if (messageUnits(m, true).every((u) => u.complete && registry?.has(u.key))) this.settled.add(m.id);
    }
    const resume = segments[0]?.metadata[RESUME] as ChatResumeSnapshot | null | undefined;
    this.storedResume = resume ? JSON.stringify(resume) : undefined;
    return resume ? { messages, resume } : { messages };
  }

  // --- the worker ---------------------------------------------------------------------

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
          if (this.pending.length > 0 && !this.removal) {
            await this.guard(() => this.rewriteIfDeleted(() => this.apply([])));
            continue;
          }
          await this.guard(() => this.deleteConversation());
          continue;
        }
        // A run's end goes in as soon as the chat shows all it streamed, before any later list
        // (one that drops its reply, as reload does, must not catch that reply unfinished).
        const ending = this.ending;
        const next = this.pending[0];
        if (
          ending &&
          (this.caughtUp(ending) ||
            (next && dropsReply(this.lastList, next.messages, ending.textLengths?.keys() ?? [])))
        ) {
          this.ending = undefined;
          await this.guard(() => this.rewriteIfDeleted(() => this.applyEnd(ending)));
          continue;
        }
        if (next) {
          this.pending.shift();
          await this.guard(() => this.rewriteIfDeleted(() => this.apply(next.messages, next.resume)));
          continue;
        }
        if (this.refusedLive) {
          this.refusedLive = false;
          await this.guard(() => this.rewriteIfDeleted(() => this.applyRefused()));
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
      } else if (this.pending.length > 0 || this.removal || this.refusedLive) {
        this.kick();
      }
    }
  }

  private async guard(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.options.onError(error);
    }
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
      if (!(await this.deletedElsewhere())) throw error;
      this.forgetConversation();
      await write();
    }
  }

  private async deletedElsewhere(): Promise<boolean> {
    const manager = this.manager;
    if (!manager) return false;
    const session = await this.options.store.getSession(manager.conversationId).catch(() => null);
    return session === undefined;
  }

  /**
   * Forget what was stored (the conversation is gone): the next write records the chat's list
   * from the start. What the chat showed (`lastList`, runs that ended) is kept.
   */
  private forgetConversation(): void {
    const manager = this.manager;
    if (manager) this.nextGeneration = (generationOf(this.threadId, manager.conversationId) ?? -1) + 1;
    this.manager = undefined;
    // Its reply's writes are refused from now on (core stops it at the first refusal).
    this.live = undefined;
    this.stored.clear();
    this.settled.clear();
    this.countedTexts.clear();
    this.frontier = 0;
    this.version = undefined;
    this.versionOf = undefined;
    this.storedResume = undefined;
  }

  /** Whether the chat shows all the text the run streamed (aborted runs show what they show). */
  private caughtUp(end: RunEnd & { at: number }): boolean {
    // A stopped chat shows what it had: every list it handed over before the stop is applied first.
    if (end.aborted) return this.pending.length === 0;
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

  /** The live reply was refused: its refusal is thrown (see rewriteIfDeleted), then the list is recorded again. */
  private async applyRefused(): Promise<void> {
    if (this.live) this.assertNotRefused(this.live);
    await this.apply(this.lastList);
  }

  private async applyEnd(end: RunEnd): Promise<void> {
    for (let i = this.frontier; i < this.lastList.length; i++) this.done.add(this.lastList[i]!.id);
    await this.apply(this.lastList, undefined, end);
  }

  // --- diffing ------------------------------------------------------------------------

  /**
   * Cost per call: a pointer comparison per message (TanStack hands new lists that reuse the
   * objects of unchanged messages), plus the work on the messages that changed.
   */
  private async apply(list: readonly UIMessage[], resume?: ChatResumeSnapshot, end?: RunEnd): Promise<void> {
    const previous = this.lastList;
    let k = 0;
    while (
      k < list.length &&
      k < previous.length &&
      (list[k] === previous[k] || list[k]!.id === previous[k]!.id)
    )
      k++;
    if (k < previous.length) {
      // Only what is really gone counts as dropped: a message removed from the middle leaves the
      // ones after it in the list (at other positions), and they are stored already.
      const kept = new Set(list.slice(k).map((m) => m.id));
      const gone = previous
        .slice(k)
        .map((m) => m.id)
        .filter((id) => !kept.has(id));
      if (gone.length > 0) await this.truncated(gone, k);
    }
    this.lastList = list;
    let frontier = Math.min(this.frontier, k);
    if (list.length > 0 || resume) {
      const manager = (await this.open(true)) as SessionManager;
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
    if (end === undefined) await this.saveResume(resume);
  }

  /** The chat dropped `removed` (from index `at`): reload, an edit, or a list set by hand. */
  private async truncated(removed: string[], at: number): Promise<void> {
    if (this.live && removed.includes(this.live.messageId)) await this.endLive({ aborted: true });
    const first = removed[0]!;
    const role = this.lastRole(first);
    this.version = this.stored.has(first) && role ? { at, messageId: first, role } : undefined;
    // Ids that come back after this are new messages (TanStack may reuse an id on reload).
    for (const id of removed) {
      if (id !== first) this.stored.delete(id);
      this.settled.delete(id);
      this.done.delete(id);
    }
  }

  private roles = new Map<string, UIMessage['role']>();

  private lastRole(id: string): UIMessage['role'] | undefined {
    return this.roles.get(id);
  }

  private async record(
    manager: SessionManager,
    message: UIMessage,
    index: number,
    done: boolean,
    end: RunEnd | undefined,
  ): Promise<void> {
    this.roles.set(message.id, message.role);
    const version = this.version?.at === index ? this.version : undefined;
    if (version) {
      this.version = undefined;
      const of = await this.versionTarget(manager, version, message);
      // The replaced message's units are forgotten now: the same id may come back as the new version.
      this.stored.delete(version.messageId);
      this.versionOf = of ? { messageId: message.id, of } : undefined;
    }
    const versionOf = this.versionOf?.messageId === message.id ? this.versionOf.of : undefined;
    return this.recordUnits(manager, message, done, end, versionOf);
  }

  /** The stored event a new message at a replaced position is a version of, if core can branch it. */
  private async versionTarget(
    manager: SessionManager,
    version: VersionTarget,
    message: UIMessage,
  ): Promise<string | undefined> {
    if (version.role !== message.role) return undefined;
    const key = message.role === 'user' ? 'text' : 'text-0';
    const registry = this.stored.get(version.messageId);
    if (!registry?.has(key)) return undefined;
    // Versions are made in the head segment only: core forks older ones into a new conversation.
    return versionTarget(manager, TANSTACK_LINK, {
      messageId: version.messageId,
      unit: key,
      eventId: registry.get(key),
    });
  }

  private async recordUnits(
    manager: SessionManager,
    message: UIMessage,
    done: boolean,
    end: RunEnd | undefined,
    versionOf: string | undefined,
  ): Promise<void> {
    const registry = this.registry(message.id);
    const units = messageUnits(message, done);
    if (message.role === 'user') {
      const unit = units[0] as MessageUnit & { kind: 'text' };
      if (!registry.has(unit.key)) {
        const link = this.link(message, unit.key);
        this.versionUsed(message.id);
        if (versionOf) {
          const edit = await manager.editMessage(versionOf, unit.text);
          await manager.store.updateEvent(edit.eventId, { metadata: link });
          registry.set(unit.key, edit.eventId);
        } else {
          await manager.userSays(unit.text, link);
          registry.set(unit.key, null);
        }
      }
      this.settled.add(message.id);
      return;
    }
    const lastTextKey = [...units].reverse().find((u) => u.kind === 'text')?.key;
    // How the message's run ended applies to its last text only (usage once, abort where it stopped).
    const runEnd = end ?? this.shownEnd(message);
    const endOf = (key: string) => (key === lastTextKey ? (runEnd ?? {}) : undefined);
    let parentEventId: string | undefined;
    let allStored = true;
    let firstText = true;
    for (const unit of units) {
      const live = this.live;
      if (unit.kind === 'text' && live?.messageId === message.id && live.key === unit.key) {
        this.appendLive(live, unit.text);
        parentEventId = live.reply.eventId;
        firstText = false;
        if (!unit.complete) {
          allStored = false;
          break;
        }
        if (unit.key === lastTextKey && !done) {
          // Closed by a tool call, but maybe its run's last text: it stays live (see below).
          allStored = false;
          continue;
        }
        // A text a tool call closed is whole: a stop or failure after the call does not cut it.
        const end = endOf(unit.key);
        await this.endLive(end && unit !== units[units.length - 1] ? whole(end) : end, message, units);
        continue;
      }
      if (registry.has(unit.key)) {
        if (unit.kind === 'text') {
          parentEventId = registry.get(unit.key) ?? parentEventId;
          firstText = false;
        }
        continue;
      }
      if (unit.kind === 'tool') {
        if (!unit.complete) {
          allStored = false;
          continue;
        }
        // A reply that opens with a tool call is recorded after the old one, not as its version.
        if (firstText) this.versionUsed(message.id);
        const eventId = globalThis.crypto.randomUUID();
        await manager.toolUsed(unit.name, toJson(unit.input), toJson(unit.output), {
          ...this.link(message, unit.key),
          error: unit.error,
          toolCallId: unit.toolCallId,
          eventId,
          [TOOL_PARTS]: toJson(unit.parts),
          ...(parentEventId ? { parentEventId } : {}),
        });
        registry.set(unit.key, eventId);
        continue;
      }
      const of = firstText ? versionOf : undefined;
      firstText = false;
      this.versionUsed(message.id);
      // A text a tool call closed may be its run's last (a run can end with a tool call): it is
      // finished when the run ends, with the run's usage, or plainly when a later text follows.
      const lastOfRun = unit.complete && unit.key === lastTextKey && !done && unit.text !== '';
      if (!unit.complete || lastOfRun) {
        allStored = false;
        if (unit.text !== '') await this.beginLive(manager, message, unit, of);
        if (!unit.complete) break;
        parentEventId = this.registry(message.id).get(unit.key) ?? parentEventId;
        continue;
      }
      // A whole text at once: a reply that is begun, given its text and finished.
      const reply = await this.begin(manager, message, unit, of);
      registry.set(unit.key, reply.eventId);
      reply.append(unit.text);
      await this.finishReply(reply, message, endOf(unit.key), units, unit.key);
      parentEventId = reply.eventId;
    }
    if (done && allStored && this.live?.messageId !== message.id) this.settled.add(message.id);
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

  private versionUsed(messageId: string): void {
    if (this.versionOf?.messageId === messageId) this.versionOf = undefined;
  }

  private async begin(
    manager: SessionManager,
    message: UIMessage,
    unit: MessageUnit,
    versionOf: string | undefined,
  ): Promise<ResponseStream> {
    const { model: modelOption, provider, flushMs, leaseMs } = this.options;
    const model = modelOption ?? messageModel(message.metadata);
    const options = {
      eventId: globalThis.crypto.randomUUID(),
      metadata: this.link(message, unit.key),
      ...(model ? { model } : {}),
      ...(provider ? { provider } : {}),
      ...(flushMs !== undefined ? { flushMs } : {}),
      ...(leaseMs !== undefined ? { leaseMs } : {}),
    };
    return beginReply(manager, { ...options, ...(versionOf ? { versionOf } : {}) });
  }

  /** A text still streaming: its reply event is written now (status 'streaming'), its deltas appended. */
  private async beginLive(
    manager: SessionManager,
    message: UIMessage,
    unit: MessageUnit & { kind: 'text' },
    versionOf: string | undefined,
  ): Promise<void> {
    const reply = await this.begin(manager, message, unit, versionOf);
    this.registry(message.id).set(unit.key, reply.eventId);
    this.live = {
      messageId: message.id,
      key: unit.key,
      reply,
      appended: 0,
      metadata: jsonText(message.metadata),
    };
    this.appendLive(this.live, unit.text);
  }

  /** Hand the reply the text it has not seen (in memory; core writes it at most every flushMs). */
  private appendLive(live: LiveReply, text: string): void {
    this.assertNotRefused(live);
    if (text.length <= live.appended || live.reply.status !== 'streaming') return;
    live.reply.append(text.slice(live.appended));
    live.appended = text.length;
  }

  /**
   * Core stops a reply whose background write was refused (its conversation deleted by another
   * tab, or the reply taken over elsewhere): the refusal is thrown once, not swallowed. Its
   * status tells, not `lastError`: a write queued behind the refused one succeeds (it writes
   * nothing) and clears that.
   */
  private assertNotRefused(live: LiveReply): void {
    if (live.reply.status !== 'discarded') return;
    if (this.live === live) this.live = undefined;
    throw (
      live.reply.lastError ??
      new ReplyStateError(
        `Reply ${live.reply.eventId} was refused: its conversation was deleted or it was taken over elsewhere.`,
      )
    );
  }

  /** `end`: how the message's run ended, for its last text; undefined for an earlier text (plain finish). */
  private async endLive(end: RunEnd | undefined, message?: UIMessage, units?: MessageUnit[]): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    this.assertNotRefused(live);
    if (live.reply.status !== 'streaming') return;
    await this.finishReply(live.reply, message, end, units, live.key);
    // The message's metadata often comes late (usage, finish reason): keep it with the event.
    const metadata = message ? jsonText(message.metadata) : undefined;
    if (metadata !== undefined && metadata !== live.metadata) {
      await this.options.store.updateEvent(live.reply.eventId, {
        metadata: { [MESSAGE_METADATA]: JSON.parse(metadata) },
      });
    }
  }

  private async finishReply(
    reply: ResponseStream,
    message: UIMessage | undefined,
    end: RunEnd | undefined,
    units: MessageUnit[] = [],
    key = '',
  ): Promise<void> {
    if (end?.aborted || end?.error) {
      await reply.abort(end.error ?? 'stopped');
      return;
    }
    const usage = end && message ? this.usageOf(message, end, units, key) : undefined;
    const event = await reply.finish(usage ? { usage } : {});
    if (!usage) this.countedTexts.add(reply.eventId, event.tokenUsage?.completionTokens ?? 0);
  }

  /**
   * The usage recorded on a message's last text: the app's `usage` option as given; else the
   * message's or the run's provider usage, less what the texts before it in that message or run
   * were already counted with (text, tool call, text in one run is billed once).
   */
  private usageOf(
    message: UIMessage,
    end: RunEnd,
    units: MessageUnit[],
    key: string,
  ): ProviderUsage | undefined {
    const given = this.options.usage?.(message);
    if (given) return given;
    const ofMessage = messageUsage(message.metadata);
    const usage = ofMessage ?? end.usage;
    if (!usage) return undefined;
    const streamed = ofMessage ? undefined : end.textLengths?.get(message.id);
    const registry = this.registry(message.id);
    const earlier = textsCoveredBefore(units, key, streamed).map((k) => registry.get(k) ?? '');
    return this.countedTexts.billed(usage, earlier);
  }

  /** Store the resume snapshot on the conversation's root metadata when it changed. */
  private async saveResume(resume: ChatResumeSnapshot | undefined): Promise<void> {
    const text = resume ? JSON.stringify(resume) : undefined;
    if (text === this.storedResume) return;
    const manager = await this.open(resume !== undefined);
    if (!manager) return;
    await manager.updateMetadata({ [RESUME]: resume ? JSON.parse(text as string) : null });
    this.storedResume = text;
  }

  // --- the conversation -----------------------------------------------------------------

  /** The thread's conversation as `open` gives it, once more if another tab deleted the one we held. */
  private async current(create: boolean): Promise<SessionManager | undefined> {
    if (this.manager && (await this.deletedElsewhere())) this.forgetConversation();
    return this.open(create);
  }

  /** Open the thread's conversation, or (with `create`) create it. One open at a time. */
  private async open(create: boolean, learn = true): Promise<SessionManager | undefined> {
    if (this.manager) return this.manager;
    this.opening ??= this.openStored(learn).finally(() => {
      this.opening = undefined;
    });
    const stored = await this.opening;
    if (stored || !create) return stored ?? this.manager;
    this.creating ??= this.create().finally(() => {
      this.creating = undefined;
    });
    return await this.creating;
  }

  private opening: Promise<SessionManager | undefined> | undefined;
  private creating: Promise<SessionManager> | undefined;

  private async openStored(learn: boolean): Promise<SessionManager | undefined> {
    const { store, session } = this.options;
    const id = await findConversation(store, this.threadId);
    if (!id) return undefined;
    const manager = await SessionManager.open(id, { ...session, store });
    if (learn) {
      const segments = await store.getSegments(manager.conversationId);
      this.learn((await Promise.all(segments.map((s) => store.getEvents(s.id)))).flat());
    }
    this.manager ??= manager;
    return this.manager;
  }

  private async create(): Promise<SessionManager> {
    if (this.manager) return this.manager;
    const { store, session } = this.options;
    const manager = await createConversation(store, session, this.threadId, this.nextGeneration);
    this.manager ??= manager;
    return this.manager;
  }

  /** Where the search for a new conversation starts: after the thread's last deleted generation. */
  private nextGeneration = 0;

  /** Note the units stored in `events` (by any tab), so they are never written again. */
  private learn(events: readonly SessionEvent[]): void {
    for (const e of events) {
      const id = e.metadata[MESSAGE_ID];
      const unit = e.metadata[MESSAGE_UNIT];
      if (typeof id === 'string' && typeof unit === 'string') {
        this.registry(id).set(unit, e.id);
        this.roles.set(id, e.source === EventSource.USER ? 'user' : 'assistant');
      } else if (e.type === EventType.MESSAGE) {
        // Written without this package (core, imports): the event id is the message id.
        this.registry(e.id).set(e.source === EventSource.USER ? 'text' : 'text-0', e.id);
        this.roles.set(e.id, e.source === EventSource.USER ? 'user' : 'assistant');
      }
    }
  }

  private async deleteConversation(): Promise<void> {
    if (this.live) {
      const { reply } = this.live;
      this.live = undefined;
      if (reply.status === 'streaming') await reply.discard().catch(() => undefined);
    }
    // A clear removes what the thread holds now, as TanStack's adapters remove its key: if another
    // tab deleted our conversation and the thread went on in a new one, that one goes.
    const manager = await this.current(false);
    this.forgetConversation();
    this.done.clear();
    this.lastList = [];
    if (manager) await this.options.store.deleteConversation(manager.conversationId);
  }

  private registry(id: string): Registry {
    let registry = this.stored.get(id);
    if (!registry) {
      registry = new Map();
      this.stored.set(id, registry);
    }
    return registry;
  }

  /** The metadata tying an event to its chat message and unit. */
  private link(message: UIMessage, key: string): Record<string, unknown> {
    return linkMetadata(TANSTACK_LINK, message, key);
  }
}

/** A run's end without its stop or failure: for a text that was whole before it. */
function whole(end: RunEnd): RunEnd {
  const { aborted: _aborted, error: _error, ...rest } = end;
  return rest;
}

/** `value` as JSON text, if it is plain JSON and not empty (what is not would fail the whole write). */
function jsonText(value: unknown): string | undefined {
  const json = metadataJson(value);
  return json === undefined ? undefined : JSON.stringify(json);
}

/** A value as plain JSON (Dates become ISO strings); what cannot be serialized becomes null. */
const toJson = jsonOrNull;
