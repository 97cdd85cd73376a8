import {
  getDefaultStore,
  InvalidInputError,
  type ResponseStream,
  type Session,
  type SessionEvent,
  SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';
import { versionGroup } from '@ai-session-manager/core/chat';
import {
  ExportedMessageRepository,
  type ExportedMessageRepositoryItem,
  type ThreadHistoryAdapter,
  type ThreadMessage,
} from '@assistant-ui/react';
import {
  AUI_ATTACHMENTS,
  AUI_DELETED,
  AUI_METADATA,
  AUI_PART,
  AUI_PARTS,
  AUI_STATUS,
  AUI_PENDING,
  decodeMessage,
  type EncodedMessage,
  encodeMessage,
  type ToolUnit,
} from './messageCodec';
import { type ThreadTree, threadTree } from './threadTree';
import { touchHead } from './touchHead';

/** What `observe` needs of a thread: assistant-ui's `ThreadRuntime` (e.g. `runtime.thread`). */
export interface ObservableThread {
  subscribe(callback: () => void): () => void;
  getState(): { readonly messages: readonly ThreadMessage[]; readonly isRunning: boolean };
  /** With these two, messages another tab stores show up live. */
  export?(): ExportedMessageRepository;
  import?(repository: ExportedMessageRepository): void;
}

/** Where a thread-list thread finds its conversation (assistant-ui's `threadListItem`). */
export interface ThreadBinding {
  /** The conversation id when the thread has one (undefined: a new thread, nothing stored). */
  remoteId(): string | undefined;
  /** Create the conversation if needed; resolves to its id. */
  initialize(): Promise<string>;
}

export interface SessionThreadHistoryOptions {
  /** The conversation to read and write (any of its segment ids). Default: a new one. */
  conversationId?: string;
  /** A manager to record through (its store and options); wins over conversationId/store/session. */
  manager?: SessionManager;
  /** Default: core's shared IndexedDB store. */
  store?: SessionStore;
  /** SessionManager options for the conversation: infiniteContext, thresholds, systemPrompt, defaultModel… */
  session?: Omit<SessionManagerOptions, 'sessionId' | 'store'>;
  /** Model recorded on assistant replies (tokens are counted and priced for it). Default: the manager's defaultModel. */
  model?: string;
  provider?: string;
  /** A write made by `observe` (streamed text, branch selection) failed. */
  onError?: (error: unknown) => void;
  /** Used by the thread list adapter: the conversation is the thread list item's. */
  thread?: ThreadBinding;
}

interface LiveReply {
  messageId: string;
  /** Resolves to the reply handle, or undefined when beginResponse failed. */
  reply: Promise<ResponseStream | undefined>;
  /** Text handed to the reply so far. */
  text: string;
}

/** The thread's events as last read, valid while the head row says nothing else was written. */
interface Snapshot {
  conversationId: string;
  headId: string;
  /** The head row's `totals.events` when read. */
  count: number;
  stamp: string;
  events: SessionEvent[];
}

/** What one write job did: events appended, events rewritten (as stored after). */
interface Ledger {
  appended: number;
  updated: SessionEvent[];
  /** The head row changed (a selection): take its new stamp. */
  touched: boolean;
}

interface Read {
  manager: SessionManager;
  tree: ThreadTree;
  headSessionId: string | undefined;
  activeLeafId: string | undefined;
}

/**
 * An assistant-ui `ThreadHistoryAdapter` over one stored conversation. `append` records each
 * message (user → userSays, assistant → a reply with its tokens, tool-call parts → tool events
 * linked to it), with assistant-ui's id and parent in the event metadata; a message appended
 * under a parent that already has one becomes a new version in core's branches (an edit through
 * editMessage, a reload through regenerate). `load` gives back every version, and the selected
 * branch as `headId`. `observe(thread)` adds what the runtime does not hand a history adapter:
 * a reply's text while it streams (core's beginResponse), and the branch the user switches to
 * (core's selectAlternative). Writes run one at a time, in call order.
 */
export class SessionThreadHistoryAdapter implements ThreadHistoryAdapter {
  /** LocalRuntime reloads when this changes: one scope per conversation. */
  readonly scopeId: string | undefined;
  private readonly options: SessionThreadHistoryOptions;
  private manager: SessionManager | undefined;
  private managerFor: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly live = new Map<string, LiveReply>();
  private observing = false;
  /** The store changed while the thread was busy: compare again once it is idle. */
  private refreshLater = false;
  private snapshot: Snapshot | undefined;
  private ledger: Ledger = { appended: 0, updated: [], touched: false };
  /** Messages this adapter is deleting that the thread may still show (the runtime drops them after). */
  private readonly deleting = new Set<string>();

  constructor(options: SessionThreadHistoryOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new InvalidInputError('options must be an object.');
    if (
      options.conversationId !== undefined &&
      (typeof options.conversationId !== 'string' || !options.conversationId)
    ) {
      throw new InvalidInputError('conversationId must be a non-empty string.');
    }
    this.options = options;
    if (options.manager) {
      this.manager = options.manager;
      this.managerFor = options.manager.conversationId;
    } else if (!options.thread) {
      this.manager = new SessionManager({
        ...options.session,
        ...(options.store ? { store: options.store } : {}),
        ...(options.conversationId ? { sessionId: options.conversationId } : {}),
      });
      this.managerFor = this.manager.conversationId;
    }
    this.scopeId = options.thread ? undefined : `ai-session-manager:${this.managerFor}`;
  }

  /** The conversation this adapter records into (undefined: a thread list thread not created yet). */
  get conversationId(): string | undefined {
    return this.options.thread ? this.options.thread.remoteId() : this.manager?.conversationId;
  }

  /** Resolves once every write asked for so far has settled. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  // --- ThreadHistoryAdapter ------------------------------------------------------------

  /** Every message of every version, parents first, and the selected branch's end as `headId`. */
  load(): Promise<ExportedMessageRepository> {
    return this.serial(async () => {
      const manager = await this.currentManager(false);
      if (!manager) return { headId: null, messages: [] };
      return repositoryOf((await this.read(manager, true)).tree);
    });
  }

  /** Record a message (a new version when its parent already has a message of its role). */
  append(item: ExportedMessageRepositoryItem): Promise<void> {
    return this.upsert(item);
  }

  /** Rewrite a stored message in place (e.g. a run that finished after a tool approval); upserts. */
  update(item: ExportedMessageRepositoryItem): Promise<void> {
    return this.upsert(item);
  }

  /** A message stored once, keyed by its id: written the first time, rewritten after. */
  private upsert(item: ExportedMessageRepositoryItem): Promise<void> {
    let encoded: EncodedMessage;
    try {
      checkItem(item);
      encoded = encodeMessage(item.message, item.parentId);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.writeJob(async () => {
      // A list's thread is created by its first write: not for a message that cannot be written.
      if (item.parentId !== null && !(await this.currentManager(false))) {
        throw parentNotStored(item.message.id, item.parentId);
      }
      const manager = (await this.currentManager(true))!;
      const read = await this.read(manager);
      if (read.tree.nodes.has(item.message.id)) return this.rewrite(read, item.message.id, encoded);
      await this.write(read, item.message.id, item.parentId, encoded);
    });
  }

  /**
   * Hide messages from the thread (events are never removed: each is marked `auiDeleted`, so
   * the thread no longer shows it and its children move up to its parent). It keeps its status,
   * so it stays in core's log and running totals (it was paid for), which keeps totals equal to
   * what the events add up to (stats, export and import agree). A message that is not stored is
   * skipped.
   */
  delete(items: ExportedMessageRepositoryItem[]): Promise<void> {
    if (!Array.isArray(items)) return Promise.reject(new InvalidInputError('items must be an array.'));
    const ids = items.map((item) => String(item?.message?.id));
    for (const id of ids) this.deleting.add(id);
    // The runtime drops the messages from the thread once this resolves (see refresh); a second
    // later they are no longer waited for (a caller that deleted them without the runtime).
    const forget = () =>
      setTimeout(() => {
        for (const id of ids) this.deleting.delete(id);
      }, 1_000);
    const done = this.writeJob(async () => {
      const manager = await this.currentManager(false);
      if (!manager) return;
      const { tree } = await this.read(manager);
      let marked = false;
      for (const id of ids) {
        const node = tree.nodes.get(id);
        if (!node) continue;
        this.updated(
          await manager.store.updateEvent(node.event.id, {
            metadata: { [AUI_DELETED]: true },
          }),
        );
        marked = true;
      }
      if (marked) await this.touch(manager);
    });
    done.then(forget, forget);
    return done;
  }

  // --- observe -------------------------------------------------------------------------

  /**
   * Follow a thread runtime (`runtime.thread`): store a reply's text while it streams (a reload
   * or a closed tab keeps the text so far; the runtime's append then finishes that reply), and
   * persist the branch the user switches to, so a reload or another tab shows the same one.
   * Returns the unsubscribe. A second observer while one is active is ignored.
   */
  observe(thread: ObservableThread): () => void {
    if (this.observing) return () => {};
    this.observing = true;
    let lastHead: string | undefined;
    let stopped = false;
    const canImport = Boolean(thread.import && thread.export);
    const check = () => {
      if (stopped) return;
      let state: ReturnType<ObservableThread['getState']>;
      try {
        state = thread.getState();
      } catch {
        return; // assistant-ui's placeholder thread, before the runtime is mounted
      }
      const { messages, isRunning } = state;
      const last = messages[messages.length - 1];
      if (last?.role === 'assistant' && last.status?.type === 'running') {
        this.feed(last, messages[messages.length - 2]?.id ?? null);
      }
      if (isRunning) return;
      if (this.refreshLater && canImport) {
        this.refreshLater = false;
        this.serial(() => this.refresh(thread)).catch((error) => this.options.onError?.(error));
      }
      if (!last || last.id === lastHead) return;
      lastHead = last.id;
      const head = last.id;
      this.writeJob(() => this.syncSelection(head)).catch((error) => this.options.onError?.(error));
    };
    const unsubscribe = thread.subscribe(check);
    const unwatch = canImport ? this.watchStore(thread) : () => {};
    check();
    return () => {
      stopped = true;
      this.observing = false;
      unsubscribe();
      unwatch();
    };
  }

  /**
   * Follow the store (any tab's writes): when the conversation gains messages this thread does
   * not show, and the thread is idle, load them into it (on the stored branch). The watch reads
   * one row, the head segment's, which every counted write changes.
   */
  private watchStore(thread: ObservableThread): () => void {
    const store = this.managerStore();
    let last: string | null | undefined;
    return store.watch(
      async () => {
        const id = this.conversationId;
        const head = id === undefined ? undefined : await store.getHead(id);
        return head ? `${head.id}:${head.totals.events}:${head.updatedAt}` : null;
      },
      {
        next: (stamp) => {
          const first = last === undefined;
          if (stamp === last) return;
          last = stamp;
          if (first || stamp === null) return;
          this.serial(() => this.refresh(thread)).catch((error) => this.options.onError?.(error));
        },
        error: (error) => this.options.onError?.(error),
      },
    );
  }

  /** Show messages stored by another writer, when every message shown is stored and none is running. */
  private async refresh(thread: ObservableThread): Promise<void> {
    const idle = () => {
      try {
        return !thread.getState().isRunning && this.live.size === 0;
      } catch {
        return false;
      }
    };
    // Busy: look again once the thread is idle (observe's check).
    const later = () => {
      this.refreshLater = true;
    };
    if (!idle()) return later();
    const manager = await this.currentManager(false);
    if (!manager) return;
    const { tree } = await this.read(manager, true);
    if (!idle()) return later();
    const shown = thread.export!().messages;
    // A message this tab is deleting shows until the runtime drops it, right after the delete:
    // an import first would drop it under the runtime, whose own removal would then fail.
    if (shown.some((m) => this.deleting.has(m.message.id))) return later();
    // A message shown but not stored yet (its write is on its way) would be lost: wait for it.
    // One deleted (in another tab) is not on its way: the import drops it.
    if (!shown.every((m) => tree.nodes.has(m.message.id) || tree.deleted.has(m.message.id))) return;
    const stored = repositoryOf(tree);
    // The same messages (in any order: the runtime exports its tree depth first) need no import,
    // which would also move the thread to the stored branch.
    const signature = (messages: ExportedMessageRepository['messages']) =>
      JSON.stringify(
        messages
          .map((m) => [
            m.message.id,
            m.parentId,
            textOf(m.message),
            m.message.status?.type ?? '',
            toolResultsOf(m.message),
          ])
          .sort(),
      );
    if (signature(shown) === signature(stored.messages)) return;
    thread.import!(stored);
  }

  /** A reply still streaming: start storing it, or hand it the text it has not seen yet. */
  private feed(message: ThreadMessage, parentId: string | null): void {
    const text = textOf(message);
    let live = this.live.get(message.id);
    if (!live) {
      if (text === '') return;
      live = this.beginLive(message.id, parentId);
    }
    if (!text.startsWith(live.text) || text === live.text) return;
    const delta = text.slice(live.text.length);
    live.text = text;
    void live.reply.then((reply) => {
      if (reply?.status === 'streaming') reply.append(delta);
    });
  }

  private beginLive(messageId: string, parentId: string | null): LiveReply {
    let started: (reply: ResponseStream | undefined) => void = () => {};
    const live: LiveReply = {
      messageId,
      text: '',
      reply: new Promise((resolve) => {
        started = resolve;
      }),
    };
    this.live.set(messageId, live);
    this.writeJob(async () => {
      const manager = (await this.currentManager(true))!;
      const read = await this.read(manager);
      if (read.tree.nodes.has(messageId) || (parentId !== null && !read.tree.nodes.has(parentId))) {
        return started(undefined);
      }
      const link = { auiMessageId: messageId, auiParentId: parentId };
      const placement = this.placement(read, parentId, 'llm');
      const options = { metadata: link, ...this.modelOptions() };
      const reply =
        placement.kind === 'regenerate'
          ? await manager.regenerate(placement.eventId, options)
          : await manager.beginResponse({ ...options, metadata: { ...link, ...placement.metadata } });
      this.ledger.appended += 1;
      started(reply);
    }).catch((error) => {
      started(undefined);
      this.options.onError?.(error);
    });
    return live;
  }

  // --- writes (inside the queue) -------------------------------------------------------

  private async write(read: Read, id: string, parentId: string | null, m: EncodedMessage): Promise<void> {
    const { manager, tree } = read;
    if (parentId !== null && !tree.nodes.has(parentId)) throw parentNotStored(id, parentId);
    const live = this.live.get(id);
    this.live.delete(id);
    const reply = live ? await live.reply : undefined;
    let eventId: string;
    if (reply) {
      eventId = await this.settleLive(reply, m);
    } else if (m.role === 'user') {
      eventId = await this.writeUser(read, parentId, m);
    } else {
      eventId = await this.writeAssistant(read, parentId, m);
    }
    await this.writeTools(manager, eventId, id, m.tools, new Map());
  }

  private async writeUser(read: Read, parentId: string | null, m: EncodedMessage): Promise<string> {
    const { manager } = read;
    const placement = this.placement(read, parentId, 'user');
    if (placement.kind === 'regenerate') {
      // core's edit: a new version next to the old one; the link is added to it right after.
      const edit = await manager.editMessage(placement.eventId, m.text);
      this.ledger.appended += 1;
      this.updated(await manager.store.updateEvent(edit.eventId, { metadata: m.metadata }));
      return edit.eventId;
    }
    const sessionId = await manager.userSays(m.text, { ...m.metadata, ...placement.metadata });
    this.ledger.appended += 1;
    // Only tool parts need the event id (user messages rarely have them): read it then.
    if (m.tools.length === 0) return '';
    const [last] = await manager.store.getEvents(sessionId, { reverse: true, limit: 1 });
    return last!.id;
  }

  private async writeAssistant(read: Read, parentId: string | null, m: EncodedMessage): Promise<string> {
    const { manager } = read;
    const placement = this.placement(read, parentId, 'llm');
    const eventId = globalThis.crypto.randomUUID();
    if (placement.kind === 'regenerate') {
      const reply = await manager.regenerate(placement.eventId, {
        eventId,
        metadata: m.metadata,
        ...this.modelOptions(),
      });
      this.ledger.appended += 1;
      reply.append(m.text);
      this.updated(
        await (m.aborted ? reply.abort(m.aborted) : reply.finish(m.usage ? { usage: m.usage } : {})),
      );
      return eventId;
    }
    this.ledger.appended += 1; // counted first: a failed write throws, and the job drops the snapshot
    await manager.aiResponds(m.text, {
      ...m.metadata,
      ...placement.metadata,
      eventId,
      ...this.modelOptions(),
      ...(m.usage && !m.aborted ? { usage: m.usage } : {}),
      ...(m.aborted ? { status: 'aborted', abortReason: m.aborted } : {}),
    });
    return eventId;
  }

  /** The streamed reply of this message ends: its final text, usage and how it ended. */
  private async settleLive(reply: ResponseStream, m: EncodedMessage): Promise<string> {
    if (reply.status === 'streaming') {
      if (m.text.startsWith(reply.text)) reply.append(m.text.slice(reply.text.length));
      this.updated(
        await (m.aborted ? reply.abort(m.aborted) : reply.finish(m.usage ? { usage: m.usage } : {})),
      );
    }
    const patch: { metadata: Record<string, unknown>; message?: string } = {
      metadata: { ...REWRITTEN_KEYS, ...m.metadata },
    };
    if (reply.text !== m.text) patch.message = m.text;
    this.updated(await this.managerStore().updateEvent(reply.eventId, patch));
    return reply.eventId;
  }

  private async rewrite(read: Read, id: string, m: EncodedMessage): Promise<void> {
    const node = read.tree.nodes.get(id)!;
    const live = this.live.get(id);
    this.live.delete(id);
    const reply = live ? await live.reply : undefined;
    // A reply still streaming is counted as it ends, which changes the head row; a rewrite does not.
    const settles = reply?.status === 'streaming';
    if (reply?.status === 'streaming') {
      await this.settleLive(reply, m);
    } else {
      const { auiParentId: _parent, ...metadata } = m.metadata;
      this.updated(
        await read.manager.store.updateEvent(node.event.id, {
          ...(node.event.message === m.text ? {} : { message: m.text }),
          metadata: { ...REWRITTEN_KEYS, ...metadata, ...ending(node.event, m) },
        }),
      );
    }
    const stored = new Map<string, SessionEvent>();
    for (const t of node.tools) {
      const callId = (t.message as { toolCallId?: unknown }).toolCallId;
      if (typeof callId === 'string') stored.set(callId, t);
    }
    await this.writeTools(read.manager, node.event.id, id, m.tools, stored);
    if (!settles) await this.touch(read.manager);
  }

  /** After a rewrite in place: change the head row other tabs watch (one small write). */
  private async touch(manager: SessionManager): Promise<void> {
    await touchHead(manager.store, manager.conversationId);
    this.ledger.touched = true;
  }

  private async writeTools(
    manager: SessionManager,
    eventId: string,
    messageId: string,
    tools: readonly ToolUnit[],
    stored: Map<string, SessionEvent>,
  ): Promise<void> {
    for (const tool of tools) {
      const meta = {
        auiMessageId: messageId,
        [AUI_PART]: tool.extra,
        [AUI_PENDING]: tool.pending ? true : undefined,
      };
      const existing = stored.get(tool.toolCallId);
      if (existing) {
        const updated = await manager.store.updateEvent(existing.id, {
          message: {
            tool: tool.toolName,
            arguments: tool.args,
            result: tool.result,
            error: tool.error,
            toolCallId: tool.toolCallId,
          },
          metadata: meta,
        });
        this.updated(updated);
        continue;
      }
      this.ledger.appended += 1;
      await manager.toolUsed(tool.toolName, tool.args, tool.result, {
        error: tool.error,
        toolCallId: tool.toolCallId,
        parentEventId: eventId,
        auiMessageId: messageId,
        ...(tool.extra ? { [AUI_PART]: tool.extra } : {}),
        ...(tool.pending ? { [AUI_PENDING]: true } : {}),
      });
    }
  }

  /** Persist the branch the thread shows (its head message) as core's selection. */
  private async syncSelection(headId: string): Promise<void> {
    const manager = await this.currentManager(false);
    if (!manager) return;
    const { tree } = await this.read(manager);
    const node = tree.nodes.get(headId);
    if (!node || tree.headId === headId) return;
    await manager.selectAlternative(node.event.id);
    this.ledger.touched = true;
  }

  /**
   * Where a message under `parentId` goes: a new version of the parent's first child of the same
   * role (through core's editMessage/regenerate when that child is in the head segment, else
   * named in the metadata), a continuation of another branch (named parent), or a plain append.
   */
  private placement(
    read: Read,
    parentId: string | null,
    role: 'user' | 'llm',
  ): { kind: 'regenerate'; eventId: string } | { kind: 'append'; metadata: Record<string, unknown> } {
    const { tree } = read;
    const parentEvent = parentId === null ? null : tree.nodes.get(parentId)!.event.id;
    const sibling = (tree.children.get(parentId) ?? [])
      .map((id) => tree.nodes.get(id)!.event)
      .find((e) => e.source === role);
    if (sibling) {
      if (sibling.sessionId === read.headSessionId) return { kind: 'regenerate', eventId: sibling.id };
      return { kind: 'append', metadata: { versionOf: versionGroup(sibling), branchParent: parentEvent } };
    }
    const continuesNewest = parentEvent === tree.newestEventId && !read.activeLeafId;
    return { kind: 'append', metadata: continuesNewest ? {} : { branchParent: parentEvent } };
  }

  // --- helpers -------------------------------------------------------------------------

  /**
   * The thread as stored. Events are read whole the first time, for `full`, and whenever the
   * head row says someone else wrote since (its stamp moved); otherwise from the snapshot this
   * adapter keeps up to date with its own writes (see writeJob), so a write reads one row.
   */
  private async read(manager: SessionManager, full = false): Promise<Read> {
    await manager.ready();
    const store = manager.store;
    const snap = this.snapshot;
    if (!full && snap?.conversationId === manager.conversationId) {
      const head = await store.getHead(manager.conversationId);
      if (head && stampOf(head) === snap.stamp) return readOf(manager, snap.events, head);
    }
    const segments = await store.getSegments(manager.conversationId);
    const head = segments[segments.length - 1];
    const perSegment = await Promise.all(segments.map((s) => store.getEvents(s.id)));
    const events = perSegment.flat();
    this.snapshot = head
      ? {
          conversationId: manager.conversationId,
          headId: head.id,
          count: head.totals.events,
          stamp: stampOf(head),
          events,
        }
      : undefined;
    return readOf(manager, events, head);
  }

  /**
   * Run a write in the queue and keep the snapshot in step with it: the events it appended are
   * read back (the last ones of the head) when the head row shows no other writer appended
   * meanwhile; otherwise, or if the write failed, the next read is a whole one.
   */
  private writeJob<T>(fn: () => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.ledger = { appended: 0, updated: [], touched: false };
      let result: T;
      try {
        result = await fn();
      } catch (error) {
        this.snapshot = undefined;
        throw error;
      }
      await this.advanceSnapshot(this.ledger).catch(() => {
        this.snapshot = undefined;
      });
      return result;
    });
  }

  private async advanceSnapshot({ appended, updated, touched }: Ledger): Promise<void> {
    const snap = this.snapshot;
    const manager = this.manager;
    this.snapshot = undefined;
    if (!snap || !manager || snap.conversationId !== manager.conversationId) return;
    if (appended === 0 && updated.length === 0 && !touched) {
      this.snapshot = snap;
      return;
    }
    const store = manager.store;
    const head = await store.getHead(manager.conversationId);
    if (!head || head.id !== snap.headId || head.totals.events !== snap.count + appended) return;
    const fresh = appended
      ? (await store.getEvents(head.id, { reverse: true, limit: appended })).reverse()
      : [];
    const byId = new Map(updated.map((e) => [e.id, e]));
    const events = [...snap.events.map((e) => byId.get(e.id) ?? e), ...fresh];
    this.snapshot = { ...snap, count: head.totals.events, stamp: stampOf(head), events };
  }

  /** Note an event this job rewrote, as stored after. */
  private updated(event: SessionEvent): void {
    this.ledger.updated.push(event);
  }

  /** The manager of the thread's conversation; for a thread-list thread, created on first write. */
  private async currentManager(create: boolean): Promise<SessionManager | undefined> {
    const { thread } = this.options;
    if (!thread) return this.manager;
    const id = create ? await thread.initialize() : thread.remoteId();
    if (!id) return undefined;
    if (!this.manager || this.managerFor !== id) {
      this.manager = new SessionManager({
        ...this.options.session,
        ...(this.options.store ? { store: this.options.store } : {}),
        sessionId: id,
      });
      this.managerFor = id;
    }
    return this.manager;
  }

  private managerStore(): SessionStore {
    return this.manager?.store ?? this.options.store ?? getDefaultStore();
  }

  private modelOptions(): { model?: string; provider?: string } {
    return {
      ...(this.options.model ? { model: this.options.model } : {}),
      ...(this.options.provider ? { provider: this.options.provider } : {}),
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** What changes on the head row with every write that matters here (appends, counts, selection). */
function stampOf(head: Session): string {
  return JSON.stringify([
    head.id,
    head.totals.events,
    head.totals.messages,
    head.updatedAt,
    head.state.activeLeafId ?? null,
  ]);
}

function readOf(manager: SessionManager, events: SessionEvent[], head: Session | undefined): Read {
  const leaf = head?.state.activeLeafId;
  const activeLeafId = typeof leaf === 'string' ? leaf : undefined;
  return { manager, tree: threadTree(events, activeLeafId), headSessionId: head?.id, activeLeafId };
}

/** The stored tree as assistant-ui imports it. */
function repositoryOf(tree: ThreadTree): ExportedMessageRepository {
  const items = [...tree.nodes.values()].map((node) => ({
    parentId: node.parentId,
    message: { ...decodeMessage(node.event, node.tools), id: node.id },
  }));
  return ExportedMessageRepository.fromBranchableArray(items, { headId: tree.headId });
}

/**
 * How a finished reply ends after a rewrite: aborted when the message was cancelled or failed,
 * complete again when it no longer is (a reply still streaming ends through settleLive).
 */
function ending(event: SessionEvent, m: EncodedMessage): Record<string, unknown> {
  const status = event.metadata.status;
  const finished = status === undefined || status === 'complete' || status === 'aborted';
  if (event.source !== 'llm' || !finished) return {};
  if (m.aborted) return { status: 'aborted', abortReason: m.aborted };
  return status === 'aborted' ? { status: 'complete', abortReason: undefined } : {};
}

/** Keys a rewrite replaces as a whole: absent from the new message means removed. */
const REWRITTEN_KEYS: Record<string, undefined> = {
  [AUI_PARTS]: undefined,
  [AUI_METADATA]: undefined,
  [AUI_STATUS]: undefined,
  [AUI_ATTACHMENTS]: undefined,
};

function parentNotStored(id: string, parentId: string): InvalidInputError {
  return new InvalidInputError(
    `The parent ${parentId} of message ${id} is not stored in this thread; nothing was written.`,
  );
}

function checkItem(item: ExportedMessageRepositoryItem): void {
  if (!item || typeof item !== 'object' || !item.message) {
    throw new InvalidInputError('item must be { message, parentId } (an ExportedMessageRepositoryItem).');
  }
  if (item.parentId === undefined) throw new InvalidInputError('item.parentId must be a message id or null.');
}

/** The text parts of a message, as they are stored (joined by a blank line). */
function textOf(message: ThreadMessage): string {
  return message.content
    .filter((p): p is Extract<typeof p, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join('\n\n');
}

/** Each tool call's result as the thread shows it (rewritten by an update in another tab). */
function toolResultsOf(message: ThreadMessage): string {
  return JSON.stringify(
    message.content.map((p) => (p.type === 'tool-call' ? [p.toolCallId, p.result ?? null, !!p.isError] : 0)),
  );
}

/** A history adapter for one stored conversation: `useLocalRuntime(model, { adapters: { history } })`. */
export function createThreadHistoryAdapter(
  options: SessionThreadHistoryOptions = {},
): SessionThreadHistoryAdapter {
  return new SessionThreadHistoryAdapter(options);
}
