import {
  getDefaultStore,
  InvalidInputError,
  type ProviderUsage,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';
import type {
  ChatClientPersistence,
  ChatPersistedState,
  ConnectionAdapter,
  UIMessage,
} from '@tanstack/ai-client';
import { observeRuns, type PromptFor } from './runObserver.ts';
import { sessionPrompt } from './sessionPrompt.ts';
import { MessageListCheck } from './listCheck.ts';
import { ThreadRecorder } from './threadRecorder.ts';

export interface SessionPersistenceOptions {
  /** Where conversations are stored. Default: the shared DexieSessionStore (IndexedDB). */
  store?: SessionStore;
  /** SessionManager options for each thread's conversation: `infiniteContext`, `systemPrompt`, `summarize`, `scrub`… */
  session?: Omit<SessionManagerOptions, 'sessionId' | 'store'>;
  /**
   * Model recorded on assistant replies (tokens counted and priced for it). Default: the message's
   * `metadata.model`, else the `model` the run's chunks name (seen by `persistence.connection(…)`),
   * else the manager's defaultModel (`'unknown'` unless set: estimated, cost null).
   */
  model?: string;
  provider?: string;
  /**
   * Provider-reported usage of a finished assistant message. Default: the message's
   * `metadata.usage` (or `metadata.tanstack.usage`), else the `usage` of the run's
   * `RUN_FINISHED` seen by `persistence.connection(…)`; with none, tokens are counted.
   */
  usage?: (message: UIMessage) => ProviderUsage | undefined;
  /** At most one write per this many ms while a reply streams (core's `flushMs`). Default 250. */
  flushMs?: number;
  /** How long a write keeps a reply live for other tabs (core's `leaseMs`). Default 15000. */
  leaseMs?: number;
  /** A write failed. TanStack swallows persistence errors; this is where they surface. Default: console.error. */
  onError?: (error: unknown, threadId: string) => void;
}

/**
 * A TanStack AI `ChatClientPersistence` over @ai-session-manager/core, plus what TanStack's
 * persistence interface cannot see: the end of a run (`connection`), and waiting for writes.
 */
export interface SessionPersistence extends ChatClientPersistence {
  getItem(threadId: string): Promise<ChatPersistedState | null>;
  /** Validates at once (throws on bad input, writing nothing), then writes in the background, in order. */
  setItem(threadId: string, state: ChatPersistedState): void;
  /**
   * Deletes the thread's conversation (in order with the writes before it) when the chat held
   * messages (a clear); the removeItem ChatClient makes while still empty (startup) is ignored.
   */
  removeItem(threadId: string): void;
  /**
   * Wrap the chat's connection so the persistence sees each run end: a reply is finished (with
   * the run's usage) when its run finishes, aborted with the text so far when the chat stops it
   * or the run fails. Without it, a reply is finished when the next message follows it.
   */
  connection<C extends ConnectionAdapter>(connection: C): C;
  /** Resolves once everything handed over so far is written, a streaming reply's text included. */
  flush(threadId?: string): Promise<void>;
  /** The SessionManager of a thread's conversation (created if nothing is stored yet): stats, branches, exports. */
  manager(threadId: string): Promise<SessionManager>;
}

/**
 * Persist TanStack AI chats (`useChat`, `ChatClient`) in IndexedDB through
 * @ai-session-manager/core. Pass it as `persistence` with a `threadId`:
 * the thread is a conversation (its id the thread id), each message is appended once, and a
 * streamed reply costs one small write per flush instead of a rewrite of the whole thread.
 */
export function sessionPersistence(options: SessionPersistenceOptions = {}): SessionPersistence {
  const threads = new Map<string, ThreadRecorder>();
  const checks = new Map<string, MessageListCheck>();
  const onError =
    options.onError ??
    ((error: unknown, threadId: string) => console.error(`sessionPersistence (thread ${threadId}):`, error));
  let store: SessionStore | undefined = options.store;
  const thread = (threadId: string): ThreadRecorder => {
    assertThreadId(threadId);
    let recorder = threads.get(threadId);
    if (!recorder) {
      store ??= getDefaultStore();
      recorder = new ThreadRecorder(threadId, {
        store,
        session: options.session ?? {},
        ...(options.model !== undefined ? { model: options.model } : {}),
        ...(options.provider !== undefined ? { provider: options.provider } : {}),
        ...(options.usage ? { usage: options.usage } : {}),
        ...(options.flushMs !== undefined ? { flushMs: options.flushMs } : {}),
        ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
        onError: (error) => onError(error, threadId),
      });
      threads.set(threadId, recorder);
    }
    return recorder;
  };
  // Only a session with a system prompt or rollovers has a prompt of its own to send.
  const prompting = !!options.session?.systemPrompt || options.session?.infiniteContext === true;
  const promptOf = async (
    ...[threadId, messages, data]: Parameters<PromptFor>
  ): Promise<Awaited<NonNullable<ReturnType<PromptFor>>>> => {
    const unchanged = { messages, data };
    if (typeof threadId !== 'string' || threadId === '' || !messages.every(isUIMessage)) return unchanged;
    const manager = await thread(threadId)
      .getManager()
      .catch(() => undefined);
    if (!manager) return unchanged;
    const prompt = await sessionPrompt(manager, messages as UIMessage[]);
    if (!prompt.systemPrompts.length) return { ...unchanged, messages: prompt.messages };
    const given = Array.isArray(data?.systemPrompts) ? (data.systemPrompts as unknown[]) : [];
    return {
      messages: prompt.messages,
      data: { ...data, systemPrompts: [...prompt.systemPrompts, ...given] },
    };
  };
  return {
    // ChatClient swallows what these throw or reject with: onError hears it too, so a list that
    // was refused or a thread that could not be read does not go unnoticed.
    async getItem(threadId) {
      try {
        return (await thread(threadId).read()) ?? null;
      } catch (error) {
        onError(error, String(threadId));
        throw error;
      }
    },
    setItem(threadId, state) {
      try {
        assertThreadId(threadId);
        const check: MessageListCheck = checks.get(threadId) ?? new MessageListCheck();
        checks.set(threadId, check);
        check.check(state);
      } catch (error) {
        onError(error, String(threadId));
        throw error;
      }
      thread(threadId).submit(state);
    },
    removeItem(threadId) {
      thread(threadId).remove();
    },
    connection(connection) {
      return observeRuns(
        connection,
        (threadId, end) => {
          if (typeof threadId === 'string' && threadId !== '') thread(threadId).endRun(end);
        },
        // The model gets the system prompt, the summary and the current segment (see sessionPrompt);
        // a chat with neither a system prompt nor rollovers sends its request as it is.
        (threadId, messages, data) => (prompting ? promptOf(threadId, messages, data) : undefined),
      );
    },

    async flush(threadId) {
      if (threadId !== undefined) return thread(threadId).idle();
      await Promise.all([...threads.values()].map((t) => t.idle()));
    },
    manager(threadId) {
      return thread(threadId).getManager();
    },
  };
}

function isUIMessage(m: unknown): boolean {
  return !!m && typeof m === 'object' && Array.isArray((m as { parts?: unknown }).parts);
}

function assertThreadId(threadId: unknown): asserts threadId is string {
  if (typeof threadId !== 'string' || threadId === '') {
    throw new InvalidInputError('sessionPersistence: the thread id must be a non-empty string', 'threadId');
  }
}
