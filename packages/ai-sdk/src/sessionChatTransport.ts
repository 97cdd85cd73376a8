import type { SessionManager } from '@ai-session-manager/core';
import { type ChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { replyToRegenerate } from './branchTargets.ts';
import { ChatRecorder, type ChatRecorderOptions } from './chatRecorder.ts';
import { loadChatMessages } from './conversationMessages.ts';
import { modelMessages } from './modelMessages.ts';

export interface SessionChatTransportOptions<M extends UIMessage = UIMessage> extends ChatRecorderOptions<M> {
  /** The conversation to record into (new or opened with `SessionManager.open`). */
  manager: SessionManager;
  /** What talks to the model: `DefaultChatTransport`, `DirectChatTransport`, your own. */
  transport: ChatTransport<M>;
  /**
   * What the model is sent. 'segment' (default): the system prompt, after a rollover the
   * cumulative summary, then the current segment's messages, as `getMessagesForLLM` builds
   * them. 'full': the chat's whole history, as `useChat` sends it.
   */
  history?: 'segment' | 'full';
  /** Share a recorder (the hook does, to know what its tab wrote). Default: a new one. */
  recorder?: ChatRecorder<M>;
  /**
   * Ids of new replies, when the model's stream names none: pass the Chat's own `generateId`
   * (ChatInit.generateId) so reply ids look as the chat's would. Default: `crypto.randomUUID`.
   */
  generateId?: () => string;
}

type SendOptions<M extends UIMessage> = Parameters<ChatTransport<M>['sendMessages']>[0];

/**
 * A ChatTransport that records the chat into a SessionManager around another transport: the
 * chat's new messages (the user's, tool outputs added with addToolOutput) before each request,
 * the response as it streams (each step once complete, the rest when it ends or is stopped),
 * and sends the model our prompt (system + summary + current segment) instead of the history.
 */
export class SessionChatTransport<M extends UIMessage = UIMessage> implements ChatTransport<M> {
  readonly recorder: ChatRecorder<M>;
  private readonly inner: ChatTransport<M>;
  private readonly history: 'segment' | 'full';
  private readonly generateId: () => string;
  /** The previous response's recording: the next request waits for it. */
  private responding: Promise<void> = Promise.resolve();
  /** What the store held when the first request went out is never recorded again. */
  private synced: Promise<void> | undefined;

  constructor(options: SessionChatTransportOptions<M>) {
    const { manager, transport, history = 'segment', recorder, generateId, ...recorderOptions } = options;
    this.generateId = generateId ?? (() => globalThis.crypto.randomUUID());
    this.inner = transport;
    this.history = history;
    this.recorder = recorder ?? new ChatRecorder<M>(manager, recorderOptions);
  }

  /** The manager recording the chat: the one given, or the fork a regenerate or edit in a summarized segment made. */
  get manager(): SessionManager {
    return this.recorder.manager;
  }

  /** Resolves when the response in flight (if any) and every write asked for are stored. */
  async saved(): Promise<void> {
    await this.responding;
    await this.recorder.idle();
  }

  get resumeStreamIsReplay(): boolean | undefined {
    return this.inner.resumeStreamIsReplay;
  }

  async sendMessages(options: SendOptions<M>): Promise<ReadableStream<UIMessageChunk>> {
    // After the previous response's writes, so the store keeps the chat's order.
    await this.responding;
    await this.syncStored();
    if (options.trigger === 'regenerate-message') {
      // Chat dropped the reply it regenerates: the new one is recorded as its next version.
      this.recorder.replaceNextReply(await replyToRegenerate(this.manager, options.messages));
    } else {
      this.recorder.replaceNextReply(undefined);
      const edited = options.messages.find((m) => m.id === options.messageId && m.role === 'user');
      const failedEdit = edited ? await this.recorder.recordEdit(edited) : undefined;
      if (failedEdit !== undefined) throw failedEdit;
    }
    // A chat the store cannot follow fails its request (chat.error) rather than go on out of order.
    const [failed] = await this.recorder.record(options.messages, { done: true });
    if (failed !== undefined) throw failed;
    const messages =
      this.history === 'full' ? options.messages : await modelMessages(this.manager, options.messages);
    const last = options.messages[options.messages.length - 1];
    // Chat continues its last assistant message (tool outputs added, approvals) on submit.
    const continued = options.trigger === 'submit-message' && last?.role === 'assistant' ? last : undefined;
    const stream = await this.inner.sendMessages({ ...options, messages });
    return this.observe(stream, continued, options.abortSignal);
  }

  /**
   * Once: note what the conversation already holds, so a chat started from stored messages
   * (`new Chat({ messages: (await loadChatMessages(id)).messages })`) records only what is new.
   */
  private syncStored(): Promise<void> {
    this.synced ??= (async () => {
      await this.manager.ready();
      const stored = await loadChatMessages<M>(this.manager.conversationId, { store: this.manager.store });
      this.recorder.markStored(stored.messages, stored.events);
    })();
    const syncing = this.synced;
    syncing.catch(() => {
      if (this.synced === syncing) this.synced = undefined;
    });
    return syncing;
  }

  async reconnectToStream(
    options: Parameters<ChatTransport<M>['reconnectToStream']>[0],
  ): Promise<ReadableStream<UIMessageChunk> | null> {
    const stream = await this.inner.reconnectToStream(options);
    return stream && this.observe(stream, undefined, options.abortSignal);
  }

  /**
   * The response for the chat, with its message id fixed up front (so the chat and the store
   * agree on it), and a copy read with the SDK's own readUIMessageStream into the recorder.
   */
  private observe(
    stream: ReadableStream<UIMessageChunk>,
    continued: M | undefined,
    abortSignal: AbortSignal | undefined,
  ): ReadableStream<UIMessageChunk> {
    const messageId = continued?.id ?? this.generateId();
    let started = false;
    const withId = stream.pipeThrough(
      new TransformStream<UIMessageChunk, UIMessageChunk>({
        transform(chunk, controller) {
          if (!started) {
            started = true;
            if (chunk.type !== 'start') controller.enqueue({ type: 'start', messageId });
          }
          if (chunk.type === 'start') {
            controller.enqueue({ ...chunk, messageId: continued?.id ?? chunk.messageId ?? messageId });
          } else controller.enqueue(chunk);
        },
      }),
    );
    const [forChat, forStore] = withId.tee();
    this.responding = this.persist(forStore, continued, abortSignal);
    return forChat;
  }

  private async persist(
    stream: ReadableStream<UIMessageChunk>,
    continued: M | undefined,
    abortSignal: AbortSignal | undefined,
  ): Promise<void> {
    let latest: M | undefined;
    let error: string | undefined;
    const snapshots = readUIMessageStream<M>({
      stream,
      // readUIMessageStream grows the message it is given in place: never the chat's own object.
      ...(continued ? { message: structuredClone(continued) } : {}),
      terminateOnError: true,
      onError: (e) => {
        error = e instanceof Error ? e.message : String(e);
      },
    });
    const reader = snapshots.getReader();
    const stop = () => void reader.cancel().catch(() => undefined);
    abortSignal?.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        latest = value;
        void this.recorder.record([value], { streaming: true });
      }
    } catch (e) {
      error ??= e instanceof Error ? e.message : String(e);
    } finally {
      abortSignal?.removeEventListener('abort', stop);
    }
    const aborted = abortSignal?.aborted === true;
    const end = { aborted, ...(error && !aborted ? { error } : {}) };
    if (latest) await this.recorder.record([latest], { end });
  }
}
