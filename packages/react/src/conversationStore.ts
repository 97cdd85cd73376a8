import {
  type AiRespondsOptions,
  type Alternatives,
  type BeginResponseOptions,
  type ChatMessage,
  type ContextUsage,
  type EditResult,
  type GetMessagesOptions,
  SessionManager,
  type SessionManagerOptions,
  type ResponseStream,
  type SessionEvent,
  type SessionStore,
  type ToolUsedOptions,
  type UserSaysOptions,
  type EditMessageOptions,
} from '@ai-session-manager/core';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  buildSlice,
  type ConversationListSlice,
  type ConversationSnapshot,
  type ConversationSlice,
  LOADING_LIST,
  LOADING_SLICE,
  nextLeaseEnd,
  readConversation,
  type SegmentEvents,
} from './conversationSlice.ts';
import { type PagedConversationListSlice, startPagesFeed } from './conversationPages.ts';
import { type StatsSlice, startStatsFeed } from './conversationStats.ts';
import type { ConversationWindowSlice } from './conversationWindow.ts';
import { type Slot, toError } from './liveSlot.ts';
import { startWindowFeed } from './windowFeed.ts';
import { replaceEqualDeep } from './replaceEqualDeep.ts';

/** SessionManager options a hook may pass; the store comes from the Provider. */
export type UseSessionOptions = Omit<SessionManagerOptions, 'sessionId' | 'store'>;

/** The reactive part of one useSession hook: small on purpose, so recording never re-renders. */
export interface RecorderState {
  /** The current (newest) segment id; changes on rollover. */
  sessionId: string;
  /** The conversation (root segment) id; stable across segments. */
  conversationId: string;
  /** The manager has read what is stored for its id. */
  isReady: boolean;
  /** The last failed action's error, cleared by the next success. */
  error: Error | null;
}

/** Actions bound to one manager. Each rejects on failure and also stores the error. */
export interface SessionActions {
  userSays(text: string, metadata?: Record<string, unknown>, options?: UserSaysOptions): Promise<string>;
  aiResponds(text: string, options?: AiRespondsOptions): Promise<string>;
  toolUsed(toolName: string, args: unknown, result: unknown, options?: ToolUsedOptions): Promise<string>;
  updateSystemPrompt(prompt: string): Promise<void>;
  /** A read: rejects on failure without touching `error`. */
  getMessagesForLLM(options?: GetMessagesOptions): Promise<ChatMessage[]>;
  /** A read: tokens of what getMessagesForLLM would send against the model's context window. */
  getContextUsage(options?: GetMessagesOptions): Promise<ContextUsage>;
  /** Start a streamed reply (see core's ResponseStream: append, finish, abort). */
  beginResponse(options?: BeginResponseOptions): Promise<ResponseStream>;
  /** Start a new version of a reply (default: the last one). */
  regenerate(assistantEventId?: string, options?: BeginResponseOptions): Promise<ResponseStream>;
  /** Record a new version of a user message (in a closed segment: forks a new conversation). */
  editMessage(userEventId: string, text: string, options?: EditMessageOptions): Promise<EditResult>;
  /** Make a version and the most recent branch under it active. */
  selectAlternative(eventId: string): Promise<void>;
  /** Take over a reply that reads as 'interrupted' (its tab died), to finish or abort it. */
  resumeResponse(eventId: string): Promise<ResponseStream>;
  /** Discard an interrupted (or this manager's own) unfinished reply. */
  discardResponse(eventId: string): Promise<SessionEvent>;
  /** A read: the versions of a message and which is active (for a "2 / 3" switcher). */
  getAlternatives(eventId: string): Promise<Alternatives>;
}

/** One useSession hook's manager and its bound actions, created once per hook instance. */
export interface Recorder {
  key: string;
  /** The id the hook was given; undefined starts a new conversation. */
  requestedId: string | undefined;
  manager: SessionManager;
  actions: SessionActions;
}

export interface ConversationStoreState {
  /** One slice per observed conversation id, present while some component observes it. */
  conversations: Record<string, ConversationSlice>;
  /** Present while some component lists conversations. */
  conversationList: ConversationListSlice | undefined;
  /** Windowed conversation reads, by `windowKey(conversationId, size, pageSize)`, while observed. */
  windows: Record<string, ConversationWindowSlice>;
  /** Conversation stats from running totals, by conversation id, while observed. */
  stats: Record<string, StatsSlice>;
  /** Paged conversation lists, by page size, while observed. */
  conversationPages: Record<string, PagedConversationListSlice>;
  /** One entry per mounted useSession hook. */
  recorders: Record<string, RecorderState>;
  /** The SessionStore behind this store (built lazily when it is the default one). */
  sessionStore: SessionStore;
  /** Observe a conversation: its slice stays live until the returned release is called. */
  retainConversation(conversationId: string): () => void;
  /** Observe the conversation list until the returned release is called. */
  retainConversationList(): () => void;
  /**
   * Observe the newest `size` events of a conversation (live) until released; `loadOlder` on
   * the slice adds `pageSize` older events at a time, read once (closed segments never change).
   */
  retainWindow(conversationId: string, size: number, pageSize?: number): () => void;
  /** Observe a conversation's stats (segment rows only, no events) until released. */
  retainStats(conversationId: string): () => void;
  /** Observe the newest `limit` conversations, growing by `limit` on `loadMore`, until released. */
  retainConversationPages(limit: number): () => void;
  /** A manager and bound actions; pure (nothing is read or written), so it may run during render. */
  createRecorder(conversationId: string | null | undefined, options?: UseSessionOptions): Recorder;
  /** Start tracking a recorder's ids (load, follow rollovers) until the returned detach is called. */
  attachRecorder(recorder: Recorder): () => void;
}

export type ConversationStore = StoreApi<ConversationStoreState>;

interface LiveEntry {
  refs: number;
  stop: () => void;
}

let recorderCount = 0;

/** The key of a window slice in `windows`. */
export function windowKey(conversationId: string, size: number, pageSize = size): string {
  return `${size}:${pageSize}:${conversationId}`;
}

/**
 * The state behind one SessionProvider, framework-free: per-conversation slices fed by
 * `sessionStore.watch` live queries (so writes from any manager, store instance or tab show up),
 * ref-counted and released with their watch when the last observer goes, plus the small
 * per-hook recorder state that useSession subscribes to.
 */
export function createConversationStore(sessionStore: SessionStore): ConversationStore {
  return createStore<ConversationStoreState>()((set, get) => {
    const live = new Map<string, LiveEntry>();

    /** Start `key`'s watch on first retain; stop it when the last retainer releases. */
    function retain(key: string, start: (isCurrent: () => boolean) => () => void, dispose: () => void) {
      let entry = live.get(key);
      if (!entry) {
        const created: LiveEntry = { refs: 0, stop: () => {} };
        live.set(key, created);
        created.stop = start(() => live.get(key) === created);
        entry = created;
      }
      entry.refs += 1;
      const own = entry;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        own.refs -= 1;
        // Deferred so an unmount and a mount in the same commit (StrictMode, a moved view) keep the watch.
        queueMicrotask(() => {
          if (own.refs > 0 || live.get(key) !== own) return;
          live.delete(key);
          own.stop();
          dispose();
        });
      };
    }

    function setSlice(id: string, update: (prev: ConversationSlice) => ConversationSlice) {
      set((s) => {
        const prev = s.conversations[id];
        if (!prev) return s;
        const next = update(prev);
        return next === prev ? s : { conversations: { ...s.conversations, [id]: next } };
      });
    }

    function patchRecorder(key: string, patch: Partial<RecorderState>) {
      set((s) => {
        const current = s.recorders[key];
        if (!current) return s;
        const changed = (Object.keys(patch) as (keyof RecorderState)[]).some((k) => patch[k] !== current[k]);
        return changed ? { recorders: { ...s.recorders, [key]: { ...current, ...patch } } } : s;
      });
    }

    function startConversation(id: string, isCurrent: () => boolean) {
      let loaded: readonly SegmentEvents[] = [];
      let leaseTimer: ReturnType<typeof setTimeout> | undefined;
      set((s) => ({ conversations: { ...s.conversations, [id]: LOADING_SLICE } }));
      const observer = {
        next: (snapshot: ConversationSnapshot) => {
          if (!isCurrent()) return;
          const prevLoaded = loaded;
          loaded = snapshot.loaded;
          setSlice(id, (prev) => buildSlice(prev, prevLoaded, snapshot));
          // A reply whose writer stops renewing its lease turns 'interrupted' with no write: look again then.
          clearTimeout(leaseTimer);
          const end = nextLeaseEnd(loaded);
          if (end !== undefined) {
            leaseTimer = setTimeout(
              () => readConversation(sessionStore, id, loaded).then(observer.next, observer.error),
              Math.max(0, end - Date.now()) + 1,
            );
          }
        },
        error: (error: unknown) => {
          if (isCurrent()) setSlice(id, (prev) => ({ ...prev, isLoading: false, error: toError(error) }));
        },
      };
      const stop = sessionStore.watch(async () => readConversation(sessionStore, id, loaded), observer);
      return () => {
        clearTimeout(leaseTimer);
        stop();
      };
    }

    function startList(isCurrent: () => boolean) {
      set({ conversationList: LOADING_LIST });
      const update = (patch: Partial<ConversationListSlice>) =>
        set((s) => {
          if (!isCurrent() || !s.conversationList) return s;
          const next = { ...s.conversationList, ...patch };
          next.conversations = replaceEqualDeep(s.conversationList.conversations, next.conversations);
          const same = (Object.keys(next) as (keyof ConversationListSlice)[]).every(
            (k) => next[k] === s.conversationList?.[k],
          );
          return same ? s : { conversationList: next };
        });
      return sessionStore.watch(async () => sessionStore.listConversations(), {
        next: (conversations) => update({ conversations, isLoading: false, error: null }),
        error: (error) => update({ isLoading: false, error: toError(error) }),
      });
    }

    /** A slot for a live feed in one of the keyed slice records. */
    function slot<F extends 'windows' | 'stats' | 'conversationPages'>(
      field: F,
      key: string,
      isCurrent: () => boolean,
    ): Slot<ConversationStoreState[F][string]> {
      type T = ConversationStoreState[F][string];
      return {
        init: (value) =>
          set((s) => ({ [field]: { ...s[field], [key]: value } }) as Partial<ConversationStoreState>),
        update: (fn) =>
          set((s) => {
            const prev = s[field][key] as T | undefined;
            if (!prev || !isCurrent()) return s;
            const next = fn(prev);
            return next === prev
              ? s
              : ({ [field]: { ...s[field], [key]: next } } as Partial<ConversationStoreState>);
          }),
        get: () => get()[field][key] as T | undefined,
        isCurrent,
      };
    }

    function createRecorder(
      conversationId: string | null | undefined,
      options: UseSessionOptions = {},
    ): Recorder {
      const manager = new SessionManager({
        ...options,
        store: sessionStore,
        ...(conversationId == null ? {} : { sessionId: conversationId }),
      });
      recorderCount += 1;
      const key = `recorder-${recorderCount}`;
      async function track<T>(action: () => Promise<T>): Promise<T> {
        try {
          const result = await action();
          patchRecorder(key, {
            sessionId: manager.sessionId,
            conversationId: manager.conversationId,
            isReady: true,
            error: null,
          });
          return result;
        } catch (error) {
          patchRecorder(key, { error: toError(error) });
          throw error;
        }
      }
      return {
        key,
        requestedId: conversationId ?? undefined,
        manager,
        actions: {
          userSays: (text, metadata, opts) => track(() => manager.userSays(text, metadata, opts)),
          aiResponds: (text, opts) => track(() => manager.aiResponds(text, opts)),
          toolUsed: (name, args, result, opts) => track(() => manager.toolUsed(name, args, result, opts)),
          updateSystemPrompt: (prompt) => track(() => manager.updateSystemPrompt(prompt)),
          getMessagesForLLM: (opts) => manager.getMessagesForLLM(opts),
          getContextUsage: (opts) => manager.getContextUsage(opts),
          beginResponse: (opts) => track(() => manager.beginResponse(opts)),
          regenerate: (id, opts) => track(() => manager.regenerate(id, opts)),
          editMessage: (id, text, opts) => track(() => manager.editMessage(id, text, opts)),
          selectAlternative: (id) => track(() => manager.selectAlternative(id)),
          resumeResponse: (id) => track(() => manager.resumeResponse(id)),
          discardResponse: (id) => track(() => manager.discardResponse(id)),
          getAlternatives: (id) => manager.getAlternatives(id),
        },
      };
    }

    function attachRecorder({ key, manager }: Recorder) {
      set((s) => ({
        recorders: {
          ...s.recorders,
          [key]: s.recorders[key] ?? {
            sessionId: manager.sessionId,
            conversationId: manager.conversationId,
            isReady: false,
            error: null,
          },
        },
      }));
      let attached = true;
      let stopHead = () => {};
      // Loading resumes the manager at the newest segment and writes nothing.
      manager.ready().then(
        () => {
          if (!attached) return;
          patchRecorder(key, {
            sessionId: manager.sessionId,
            conversationId: manager.conversationId,
            isReady: true,
          });
          // Other writers (managers, store instances, tabs) may roll the conversation over: follow its head.
          stopHead = sessionStore.watch(async () => sessionStore.getHead(manager.conversationId), {
            next: (head) => {
              if (attached && head) patchRecorder(key, { sessionId: head.id });
            },
          });
        },
        (error) => {
          if (attached) patchRecorder(key, { error: toError(error) });
        },
      );
      return () => {
        attached = false;
        stopHead();
        set((s) => ({ recorders: omit(s.recorders, key) }));
      };
    }

    return {
      conversations: {},
      conversationList: undefined,
      windows: {},
      stats: {},
      conversationPages: {},
      recorders: {},
      sessionStore,
      retainConversation: (id) =>
        retain(
          `conversation:${id}`,
          (isCurrent) => startConversation(id, isCurrent),
          () => set((s) => ({ conversations: omit(s.conversations, id) })),
        ),
      retainConversationList: () => retain('list', startList, () => set({ conversationList: undefined })),
      retainWindow: (id, size, pageSize = size) => {
        const key = windowKey(id, size, pageSize);
        return retain(
          `window:${key}`,
          (isCurrent) => startWindowFeed(sessionStore, id, size, pageSize, slot('windows', key, isCurrent)),
          () => set((s) => ({ windows: omit(s.windows, key) })),
        );
      },
      retainStats: (id) =>
        retain(
          `stats:${id}`,
          (isCurrent) => startStatsFeed(sessionStore, id, slot('stats', id, isCurrent)),
          () => set((s) => ({ stats: omit(s.stats, id) })),
        ),
      retainConversationPages: (limit) =>
        retain(
          `pages:${limit}`,
          (isCurrent) =>
            startPagesFeed(sessionStore, limit, slot('conversationPages', String(limit), isCurrent)),
          () => set((s) => ({ conversationPages: omit(s.conversationPages, String(limit)) })),
        ),
      createRecorder,
      attachRecorder,
    };
  });
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}
