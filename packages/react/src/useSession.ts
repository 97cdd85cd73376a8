import type { SessionManager } from '@ai-session-manager/core';
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { RecorderState, SessionActions, UseSessionOptions } from './conversationStore.ts';
import { useConversationStore } from './useConversationStore.ts';

export interface UseSessionResult extends RecorderState, SessionActions {
  /** The manager behind the actions, for everything else core offers. */
  manager: SessionManager;
}

/**
 * Record a conversation: a new one (ids known at once) or `conversationId`'s (any segment id).
 * Subscribes only to its ids, readiness and last error, so recording never re-renders on messages.
 */
export function useSession(conversationId?: string | null, options?: UseSessionOptions): UseSessionResult {
  const store = useConversationStore('useSession');
  const [recorder, setRecorder] = useState(() => store.getState().createRecorder(conversationId, options));
  let current = recorder;
  // One manager per hook instance, replaced only for another conversation (or Provider store).
  if (
    current.requestedId !== (conversationId ?? undefined) ||
    current.manager.store !== store.getState().sessionStore
  ) {
    current = store.getState().createRecorder(conversationId, options);
    setRecorder(current);
  }
  useEffect(() => store.getState().attachRecorder(current), [store, current]);
  const summarize = options?.summarize;
  useEffect(() => current.manager.setSummaryCallback(summarize), [current, summarize]);
  const state = useStore(store, (s) => s.recorders[current.key] as (typeof s.recorders)[string] | undefined);
  return useMemo(() => {
    const { manager, actions } = current;
    const ids = state ?? { sessionId: manager.sessionId, conversationId: manager.conversationId };
    return { ...actions, isReady: false, error: null, ...ids, manager };
  }, [current, state]);
}
