import {
  InvalidInputError,
  type EventPatch,
  type ResponseStream,
  type Scrubber,
  type SessionEvent,
  type SessionManager,
} from '@ai-session-manager/core';
import type { ExportedMessageRepositoryItem, ThreadMessage } from '@assistant-ui/react';
import { EventSnapshot, type Read } from './eventSnapshot.ts';
import type { ThreadConversation } from './historyOptions.ts';
import {
  AUI_ATTACHMENTS,
  AUI_DELETED,
  AUI_METADATA,
  AUI_PART,
  AUI_PARTS,
  AUI_PENDING,
  AUI_STATUS,
  type EncodedMessage,
  encodeMessage,
  scrubStatusError,
  type ToolUnit,
} from './messageCodec.ts';
import { checkItem, HeldChildren, parentNotStored } from './heldChildren.ts';
import { placement } from './placement.ts';
import { textOf } from './threadRepository.ts';
import { touchHead } from './touchHead.ts';

interface LiveReply {
  messageId: string;
  /** Resolves to the reply handle, or undefined when beginResponse failed. */
  reply: Promise<ResponseStream | undefined>;
  /** Text handed to the reply so far. */
  text: string;
}

/**
 * A thread's writes, one at a time in call order: appends and rewrites of messages (with their
 * tool calls), deletes, the selected branch, and replies stored while they stream.
 */
export class ThreadWrites {
  readonly snapshot = new EventSnapshot();
  /** Messages being deleted that the thread may still show (the runtime drops them after). */
  readonly deleting = new Set<string>();
  private readonly live = new Map<string, LiveReply>();
  private queue: Promise<unknown> = Promise.resolve();

  /** Children appended before their parent, waiting for it. */
  private readonly held: HeldChildren;

  constructor(private readonly conversation: ThreadConversation) {
    this.held = new HeldChildren((item) =>
      this.conversation.reportError(parentNotStored(item.message.id, item.parentId!)),
    );
  }

  /** Resolves once every write asked for so far has settled. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** A reply is streaming through this adapter. */
  get streaming(): boolean {
    return this.live.size > 0;
  }

  /** Run a job after every one asked for before it. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Run a write in the queue and keep the snapshot in step with it (a failed write drops it). */
  writeJob<T>(fn: () => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.snapshot.beginJob();
      let result: T;
      try {
        result = await fn();
      } catch (error) {
        this.snapshot.drop();
        throw error;
      }
      await this.snapshot.advance(this.conversation.manager).catch(() => this.snapshot.drop());
      return result;
    });
  }

  /**
   * A message stored once, keyed by its id: written the first time, rewritten after. A message
   * whose parent is not stored yet is held until it is (see HeldChildren); one whose parent was
   * deleted goes under that parent's nearest ancestor still shown.
   */
  async upsert(item: ExportedMessageRepositoryItem): Promise<void> {
    checkItem(item);
    let parentId = item.parentId;
    let encoded = encodeMessage(item.message, parentId);
    const written = await this.writeJob(async () => {
      // A list's thread is created by its first write: a child never creates it (it waits).
      if (parentId !== null && !(await this.conversation.managerFor(false))) return false;
      const manager = (await this.conversation.managerFor(true))!;
      encoded = scrubStatusError(encoded, manager.scrub);
      const read = await this.snapshot.read(manager);
      if (read.tree.nodes.has(item.message.id)) {
        await this.rewrite(read, item.message.id, encoded);
        return true;
      }
      if (parentId !== null && !read.tree.nodes.has(parentId)) {
        if (!read.tree.liftedParent.has(parentId)) return false;
        parentId = read.tree.liftedParent.get(parentId)!;
        encoded = encodeMessage(item.message, parentId);
      }
      await this.write(read, item.message.id, parentId, encoded);
      return true;
    });
    if (!written) return this.held.hold(item);
    // The parent is stored: its held children follow (their failures are reported, not ours).
    for (const child of this.held.release(item.message.id)) {
      await this.upsert(child).catch((error: unknown) => this.conversation.reportError(error));
    }
  }

  /** Mark messages `auiDeleted` (see SessionThreadHistoryAdapter.delete). */
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
      const manager = await this.conversation.managerFor(false);
      if (!manager) return;
      const { tree } = await this.snapshot.read(manager);
      let marked = false;
      for (const id of ids) {
        const node = tree.nodes.get(id);
        if (!node) continue;
        this.snapshot.noteUpdated(
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

  /** Persist the branch the thread shows (its head message) as core's selection. */
  syncSelection(headId: string): Promise<void> {
    return this.writeJob(async () => {
      const manager = await this.conversation.managerFor(false);
      if (!manager) return;
      const { tree } = await this.snapshot.read(manager);
      const node = tree.nodes.get(headId);
      if (!node || tree.headId === headId) return;
      await manager.selectAlternative(node.event.id);
      this.snapshot.noteTouched();
    });
  }

  /** A reply still streaming: start storing it, or hand it the text it has not seen yet. */
  feed(message: ThreadMessage, parentId: string | null): void {
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
      const manager = (await this.conversation.managerFor(true))!;
      const read = await this.snapshot.read(manager);
      if (read.tree.nodes.has(messageId) || (parentId !== null && !read.tree.nodes.has(parentId))) {
        return started(undefined);
      }
      const link = { auiMessageId: messageId, auiParentId: parentId };
      const placed = placement(read, parentId, 'llm');
      const options = { metadata: link, ...this.conversation.modelOptions() };
      const reply =
        placed.kind === 'regenerate'
          ? await manager.regenerate(placed.eventId, options)
          : await manager.beginResponse({ ...options, ...(placed.branch ? { branch: placed.branch } : {}) });
      this.snapshot.noteAppended();
      started(reply);
    }).catch((error) => {
      started(undefined);
      this.conversation.reportError(error);
    });
    return live;
  }

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
    const placed = placement(read, parentId, 'user');
    if (placed.kind === 'regenerate') {
      // core's edit: a new version next to the old one; the link is added to it right after.
      const edit = await manager.editMessage(placed.eventId, m.text, filesOf(m));
      this.snapshot.noteAppended();
      this.snapshot.noteUpdated(await manager.store.updateEvent(edit.eventId, { metadata: m.metadata }));
      return edit.eventId;
    }
    const sessionId = await manager.userSays(m.text, m.metadata, {
      ...(placed.branch ? { branch: placed.branch } : {}),
      ...filesOf(m),
    });
    this.snapshot.noteAppended();
    // Only tool parts need the event id (user messages rarely have them): read it then.
    if (m.tools.length === 0) return '';
    const [last] = await manager.store.getEvents(sessionId, { reverse: true, limit: 1 });
    return last!.id;
  }

  private async writeAssistant(read: Read, parentId: string | null, m: EncodedMessage): Promise<string> {
    const { manager } = read;
    const placed = placement(read, parentId, 'llm');
    const eventId = globalThis.crypto.randomUUID();
    if (placed.kind === 'regenerate') {
      const reply = await manager.regenerate(placed.eventId, {
        eventId,
        metadata: m.metadata,
        ...this.conversation.modelOptions(),
      });
      this.snapshot.noteAppended();
      reply.append(m.text);
      this.snapshot.noteUpdated(await settle(reply, m));
      return eventId;
    }
    this.snapshot.noteAppended(); // counted first: a failed write throws, and the job drops the snapshot
    await manager.aiResponds(m.text, {
      ...m.metadata,
      ...(placed.branch ? { branch: placed.branch } : {}),
      eventId,
      ...this.conversation.modelOptions(),
      ...(m.usage && !m.aborted ? { usage: m.usage } : {}),
      ...(m.aborted ? { abortReason: m.aborted } : {}),
      ...filesOf(m),
    });
    return eventId;
  }

  /** The streamed reply of this message ends: its final text, usage and how it ended. */
  private async settleLive(reply: ResponseStream, m: EncodedMessage): Promise<string> {
    if (reply.status === 'streaming') {
      if (m.text.startsWith(reply.text)) reply.append(m.text.slice(reply.text.length));
      this.snapshot.noteUpdated(await settle(reply, m));
    }
    const patch: { metadata: Record<string, unknown>; message?: string } = {
      metadata: { ...REWRITTEN_KEYS, ...m.metadata },
    };
    // Written past the manager, so its scrub is applied here.
    if (reply.text !== m.text) patch.message = this.conversation.manager?.scrub(m.text) ?? m.text;
    this.snapshot.noteUpdated(await this.conversation.store().updateEvent(reply.eventId, patch));
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
      const { scrub } = read.manager;
      this.snapshot.noteUpdated(
        await read.manager.store.updateEvent(node.event.id, {
          ...(node.event.message === scrub(m.text) ? {} : { message: scrub(m.text) }),
          metadata: { ...REWRITTEN_KEYS, ...metadata },
          ...ending(node.event, m, scrub),
          ...filesOf(m),
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
    this.snapshot.noteTouched();
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
            error: tool.error === null ? null : manager.scrub(tool.error),
            toolCallId: tool.toolCallId,
          },
          metadata: meta,
        });
        this.snapshot.noteUpdated(updated);
        continue;
      }
      this.snapshot.noteAppended();
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
}

/**
 * How a finished reply ends after a rewrite: aborted when the message was cancelled or failed,
 * complete again when it no longer is (a reply still streaming ends through settleLive).
 */
function ending(event: SessionEvent, m: EncodedMessage, scrub: Scrubber): Pick<EventPatch, 'reply'> {
  const status = event.reply?.status ?? 'complete';
  if (event.source !== 'llm' || (status !== 'complete' && status !== 'aborted')) return {};
  if (m.aborted) return { reply: { status: 'aborted', abortReason: scrub(m.aborted) } };
  return status === 'aborted' ? { reply: { status: 'complete', abortReason: undefined } } : {};
}

/** Keys a rewrite replaces as a whole: absent from the new message means removed. */
const REWRITTEN_KEYS: Record<string, undefined> = {
  [AUI_PARTS]: undefined,
  [AUI_METADATA]: undefined,
  [AUI_STATUS]: undefined,
  [AUI_ATTACHMENTS]: undefined,
};

/** The message's files as core parts, when it has any (see EncodedMessage.files). */
function filesOf(m: EncodedMessage): { parts?: EncodedMessage['files'] } {
  return m.files.length ? { parts: m.files } : {};
}

/** End a reply with the message's text: aborted as it ended, or finished with its usage and files. */
function settle(reply: ResponseStream, m: EncodedMessage): Promise<SessionEvent> {
  if (m.aborted) return reply.abort(m.aborted, filesOf(m));
  return reply.finish({ ...(m.usage ? { usage: m.usage } : {}), ...filesOf(m) });
}
