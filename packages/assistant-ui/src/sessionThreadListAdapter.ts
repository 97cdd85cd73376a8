import {
  type ConversationSummary,
  getDefaultStore,
  InvalidInputError,
  SessionManager,
  type SessionManagerOptions,
  SessionNotFoundError,
  type SessionStore,
} from '@ai-session-manager/core';
import {
  type RemoteThreadListAdapter,
  type RuntimeAdapters,
  type ThreadMessage,
  useAui,
} from '@assistant-ui/react';
import { useEffect, useMemo, useRef } from 'react';
import { offlineTitle, type TitleStream, titleStream } from './offlineTitle.ts';
import { SessionThreadHistoryAdapter } from './historyAdapter.ts';

export interface SessionThreadListOptions {
  /** Default: core's shared IndexedDB store. Use a store of its own to list only these threads. */
  store?: SessionStore;
  /** SessionManager options for every thread: infiniteContext, thresholds, systemPrompt, defaultModel, scrub… */
  session?: Omit<SessionManagerOptions, 'sessionId' | 'store' | 'metadata'>;
  /** Threads per `list` page (default 50). */
  pageSize?: number;
  /** Which stored conversations are threads of this list (default: all of the store's). */
  filter?: (conversation: ConversationSummary) => boolean;
  /** The title `generateTitle` gives a thread (default: offlineTitle, from the first user message). */
  title?: (messages: readonly ThreadMessage[]) => string | undefined | Promise<string | undefined>;
  model?: string;
  provider?: string;
  /** A write made while following a thread (streamed text, branch selection) failed. */
  onError?: (error: unknown) => void;
}

/** The list adapter, with `unarchive` always present. */
export type SessionThreadListAdapter = RemoteThreadListAdapter &
  Required<Pick<RemoteThreadListAdapter, 'unarchive' | 'updateCustom'>>;

/** A thread as the list shows it. */
export type RemoteThreadMetadata = Awaited<ReturnType<RemoteThreadListAdapter['fetch']>>;

/** Conversation metadata keys the list uses. */
export const ARCHIVED = 'archived';
export const CUSTOM = 'custom';

/**
 * assistant-ui's `RemoteThreadListAdapter` over the store: each thread is a stored conversation
 * (its id is the thread's remoteId), listed newest first (`store.listConversations`, paged), its
 * title and archived flag kept in the conversation's metadata (`updateMetadata`), deleted with
 * `deleteConversation`. `unstable_useAdapters` gives each thread its history adapter.
 */
export function sessionThreadListAdapter(options: SessionThreadListOptions = {}): SessionThreadListAdapter {
  if (options === null || typeof options !== 'object')
    throw new InvalidInputError('options must be an object.');
  const { pageSize = 50, filter } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new InvalidInputError('pageSize must be a positive integer.');
  const store = () => options.store ?? getDefaultStore();
  const managerOf = async (remoteId: string): Promise<SessionManager> => {
    if (typeof remoteId !== 'string' || remoteId === '')
      throw new InvalidInputError('remoteId must be a non-empty string.');
    return SessionManager.open(remoteId, { ...options.session, store: store() });
  };

  const adapter: SessionThreadListAdapter = {
    async list({ after } = {}) {
      const before = after === undefined ? undefined : parseCursor(after);
      const page = await store().listConversations({ limit: pageSize, ...(before ? { before } : {}) });
      const last = page[page.length - 1];
      return {
        threads: (filter ? page.filter(filter) : page).map(threadMetadata),
        nextCursor:
          page.length === pageSize && last
            ? JSON.stringify({ updatedAt: last.updatedAt, conversationId: last.conversationId })
            : undefined,
      };
    },

    async initialize(threadId, init) {
      const metadata: Record<string, unknown> = { assistantUiThreadId: String(threadId) };
      if (init?.custom !== undefined) metadata[CUSTOM] = init.custom;
      const manager = new SessionManager({ ...options.session, store: store(), metadata });
      // Writes the conversation's root row now, so the thread is listed before its first message.
      await manager.updateMetadata({});
      return { remoteId: manager.conversationId, externalId: undefined };
    },

    async rename(remoteId, newTitle) {
      if (typeof newTitle !== 'string') throw new InvalidInputError('title must be a string.');
      await (await managerOf(remoteId)).updateMetadata({ title: newTitle });
    },

    async updateCustom(remoteId, custom) {
      await (await managerOf(remoteId)).updateMetadata({ [CUSTOM]: custom ?? null });
    },

    async archive(remoteId) {
      await (await managerOf(remoteId)).updateMetadata({ [ARCHIVED]: true });
    },

    async unarchive(remoteId) {
      await (await managerOf(remoteId)).updateMetadata({ [ARCHIVED]: false });
    },

    async delete(remoteId) {
      if (typeof remoteId !== 'string' || remoteId === '')
        throw new InvalidInputError('remoteId must be a non-empty string.');
      await store().deleteConversation(remoteId);
    },

    async fetch(threadId) {
      if (typeof threadId !== 'string' || threadId === '')
        throw new InvalidInputError('threadId must be a non-empty string.');
      const session = await store().getSession(threadId);
      if (!session) throw new SessionNotFoundError(threadId);
      const root = session.id === session.rootId ? session : await store().getSession(session.rootId);
      const head = (await store().getHead(session.rootId)) ?? session;
      return rowMetadata(session.rootId, root?.metadata ?? {}, head.headAt ?? head.updatedAt);
    },

    async generateTitle(remoteId, messages): Promise<TitleStream> {
      const title = await (options.title ?? offlineTitle)(messages);
      // Stored before the stream is handed back, as assistant-ui asks of a generation that persists.
      if (title) await (await managerOf(remoteId)).updateMetadata({ title });
      return titleStream(title);
    },

    unstable_useAdapters: function useSessionThreadAdapters(): RuntimeAdapters {
      const aui = useAui();
      // Not read at mount: adapter calls resolve the thread list item when they run.
      const auiRef = useRef(aui);
      useEffect(() => {
        auiRef.current = aui;
      });
      return useMemo(
        () => ({
          history: new SessionThreadHistoryAdapter({
            ...(options.store ? { store: options.store } : {}),
            ...(options.session ? { session: options.session } : {}),
            ...(options.model ? { model: options.model } : {}),
            ...(options.provider ? { provider: options.provider } : {}),
            ...(options.onError ? { onError: options.onError } : {}),
            thread: {
              remoteId: () => auiRef.current.threadListItem.getState().remoteId,
              initialize: async () => (await auiRef.current.threadListItem.initialize()).remoteId,
            },
          }),
        }),
        [],
      );
    },
  };
  return adapter;
}

function parseCursor(after: string): { updatedAt: string; conversationId: string } {
  try {
    const cursor = JSON.parse(after) as { updatedAt?: unknown; conversationId?: unknown };
    if (typeof cursor.updatedAt === 'string' && typeof cursor.conversationId === 'string') {
      return { updatedAt: cursor.updatedAt, conversationId: cursor.conversationId };
    }
  } catch {
    // reported below
  }
  throw new InvalidInputError(`Not a cursor from this adapter's list(): ${JSON.stringify(after)}`);
}

function threadMetadata(c: ConversationSummary): RemoteThreadMetadata {
  return rowMetadata(c.conversationId, c.metadata, c.updatedAt);
}

function rowMetadata(
  remoteId: string,
  metadata: Record<string, unknown>,
  updatedAt: string,
): RemoteThreadMetadata {
  const custom = metadata[CUSTOM];
  return {
    remoteId,
    status: metadata[ARCHIVED] === true ? 'archived' : 'regular',
    ...(typeof metadata.title === 'string' ? { title: metadata.title } : {}),
    lastMessageAt: new Date(updatedAt),
    ...(custom && typeof custom === 'object' && !Array.isArray(custom)
      ? { custom: custom as Record<string, unknown> }
      : {}),
  };
}
