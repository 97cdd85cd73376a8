import { type UseChatHelpers, useChat } from '@ai-sdk/react';
import {
  getDefaultStore,
  type ProviderUsage,
  SessionManager,
  type SessionManagerOptions,
  type SessionStore,
} from '@ai-session-manager/core';
import type { ChatInit, ChatTransport, UIMessage } from 'ai';
import { useEffect, useRef, useState } from 'react';
import { ChatRecorder } from './chatRecorder.ts';
import { type MessageVersions, messageVersions, selectMessageVersion } from './messageVersions.ts';
import { SessionChatTransport } from './sessionChatTransport.ts';
import { StoredChatSync } from './storedChatSync.ts';

export interface UseSessionChatOptions<M extends UIMessage = UIMessage>
  extends Omit<ChatInit<M>, 'id' | 'messages' | 'transport'> {
  /** The stored conversation to continue (any segment id); none starts a new one. */
  conversationId?: string | null;
  /** What talks to the model (DefaultChatTransport, DirectChatTransport, your own). */
  transport: ChatTransport<M>;
  /** Default: core's shared IndexedDB store. */
  store?: SessionStore;
  /** SessionManager options: infiniteContext, thresholds, systemPrompt, summarize, defaultModel, scrub… */
  session?: Omit<SessionManagerOptions, 'sessionId' | 'store'>;
  /** What the model is sent: 'segment' (system + summary + current segment, default) or 'full'. */
  history?: 'segment' | 'full';
  model?: string;
  provider?: string;
  usage?: (message: M) => ProviderUsage | undefined;
  /** A write to the store failed (also in `storageError`). */
  onStorageError?: (error: unknown) => void;
  /**
   * A regenerate or edit of a message in a summarized segment forked a new conversation (core's
   * "branch in new chat"): the hook now records into it and shows it; put its id in your URL.
   */
  onConversationChange?: (conversationId: string) => void;
  experimental_throttle?: number;
  resume?: boolean;
}

export interface UseSessionChatHelpers<M extends UIMessage = UIMessage> extends UseChatHelpers<M> {
  /** The conversation's id (root segment), stable across rollovers: keep it to come back. */
  conversationId: string;
  /** The manager recording this chat: stats, runs, export, everything else core offers. */
  manager: SessionManager;
  /** The stored conversation has not been read yet. */
  isLoading: boolean;
  /** The last failed write to the store, if any. */
  storageError: Error | undefined;
  /**
   * Which version of its message `messageId` is, of how many (regenerated replies, edited
   * questions): undefined when it has one. useChat itself shows only the latest.
   */
  getVersions(messageId: string): Promise<MessageVersions | undefined>;
  /** Show version `index` of message `messageId` (and the newest branch under it), as stored. */
  selectVersion(messageId: string, index: number): Promise<void>;
}

interface Binding<M extends UIMessage> {
  requestedId: string | undefined;
  store: SessionStore | undefined;
  chatId: string;
  manager: SessionManager;
  recorder: ChatRecorder<M>;
  transport: SessionChatTransport<M>;
}

/**
 * `useChat` on a stored conversation: it starts from what is stored, records every message as
 * it is produced (SessionChatTransport), shows writes from other tabs, and sends the model the
 * system prompt, summary and current segment instead of the whole history.
 */
export function useSessionChat<M extends UIMessage = UIMessage>(
  options: UseSessionChatOptions<M>,
): UseSessionChatHelpers<M> {
  const {
    conversationId,
    transport: _transport,
    store,
    session: _session,
    history: _history,
    model: _model,
    provider: _provider,
    usage: _usage,
    onStorageError: _onStorageError,
    onConversationChange: _onConversationChange,
    ...chatOptions
  } = options;
  const latest = useRef(options);
  latest.current = options;
  const [storageError, setStorageError] = useState<Error | undefined>();
  /** The fork the binding's recorder moved to, if it did. */
  const [followed, setFollowed] = useState<{ binding: Binding<M>; id: string } | undefined>();
  const hooks = { setStorageError, setFollowed };
  const [binding, setBinding] = useState(() => bind(latest, hooks));
  let current = binding;
  // Another conversation (or store) means another chat; the id of this one (e.g. put in the
  // URL after the first message) does not.
  const requested = conversationId ?? undefined;
  const sameConversation =
    requested === current.requestedId ||
    (requested !== undefined &&
      (requested === current.chatId || requested === current.manager.conversationId));
  if (!sameConversation || current.store !== store) {
    current = bind(latest, hooks);
    setBinding(current);
  }
  const followedId = followed?.binding === current ? followed.id : undefined;
  const chat = useChat<M>({ ...chatOptions, id: current.chatId, transport: current.transport });
  const chatRef = useRef(chat);
  chatRef.current = chat;
  const [loaded, setLoaded] = useState<{ binding: Binding<M>; conversationId: string | undefined }>();
  const syncRef = useRef<StoredChatSync<M> | undefined>(undefined);

  // Store → chat (other tabs' writes, the first load), merged while the chat is not busy.
  useEffect(() => {
    const target = current;
    const sync = new StoredChatSync<M>({
      recorder: target.recorder,
      chat: () => chatRef.current,
      onApplied: ({ conversationId: root }) =>
        setLoaded((prev) =>
          prev?.binding === target && prev.conversationId === root
            ? prev
            : { binding: target, conversationId: root },
        ),
      onError: (error) => setStorageError(toError(error)),
    });
    syncRef.current = sync;
    // After a fork, the fork: what the chat now records into.
    const stop = sync.start(followedId ?? target.chatId, target.manager.store);
    return () => {
      stop();
      if (syncRef.current === sync) syncRef.current = undefined;
    };
  }, [current, followedId]);
  // A finished response lets the latest stored view in.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on status changes on purpose
  useEffect(() => syncRef.current?.flush(), [chat.status]);

  const isLoading = loaded?.binding !== current;
  const getVersions = async (messageId: string) => {
    const found = await messageVersions(current.manager, messageId);
    return found && { index: found.index, count: found.count };
  };
  const selectVersion = async (messageId: string, index: number) => {
    await current.transport.saved();
    const stored = await selectMessageVersion<M>(current.manager, messageId, index);
    current.recorder.markStored(stored.messages, stored.events);
    chatRef.current.setMessages(stored.messages);
  };
  return {
    ...chat,
    getVersions,
    selectVersion,
    conversationId: (!isLoading && loaded?.conversationId) || current.manager.conversationId,
    manager: current.manager,
    isLoading,
    storageError,
  };
}

function bind<M extends UIMessage>(
  latest: { current: UseSessionChatOptions<M> },
  hooks: {
    setStorageError: (error: Error) => void;
    setFollowed: (followed: { binding: Binding<M>; id: string }) => void;
  },
): Binding<M> {
  const { setStorageError } = hooks;
  const { conversationId, store, session, history } = latest.current;
  const manager = new SessionManager({
    ...session,
    store: store ?? getDefaultStore(),
    ...(conversationId == null ? {} : { sessionId: conversationId }),
  });
  const recorder = new ChatRecorder<M>(manager, {
    get model() {
      return latest.current.model;
    },
    get provider() {
      return latest.current.provider;
    },
    usage: (message) => latest.current.usage?.(message),
    onError: (error) => {
      setStorageError(toError(error));
      latest.current.onStorageError?.(error);
    },
    onConversationChange: (fork) => {
      hooks.setFollowed({ binding, id: fork.conversationId });
      latest.current.onConversationChange?.(fork.conversationId);
    },
  });
  // Reads the latest transport on every request, as useChat does for its own options.
  const inner: ChatTransport<M> = {
    sendMessages: (o) => latest.current.transport.sendMessages(o),
    reconnectToStream: (o) => latest.current.transport.reconnectToStream(o),
  };
  const binding: Binding<M> = {
    requestedId: conversationId ?? undefined,
    store,
    chatId: manager.sessionId,
    // The recorder's: after a fork, the fork's manager.
    get manager() {
      return recorder.manager;
    },
    recorder,
    transport: new SessionChatTransport<M>({
      manager,
      recorder,
      transport: inner,
      history,
      // The chat's own id generator (useChat's generateId), read when a reply starts.
      generateId: () => (latest.current.generateId ?? (() => globalThis.crypto.randomUUID()))(),
    }),
  };
  return binding;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
