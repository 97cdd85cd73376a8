import {
  type AssistantRuntime,
  type ChatModelAdapter,
  type LocalRuntimeOptions,
  type RemoteThreadListAdapter,
  useLocalRuntime,
  useRemoteThreadListRuntime,
  useRuntimeAdapters,
} from '@assistant-ui/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { SessionThreadHistoryAdapter, type SessionThreadHistoryOptions } from './historyAdapter.ts';
import { type SessionThreadListOptions, sessionThreadListAdapter } from './sessionThreadListAdapter.ts';

export interface UseSessionLocalRuntimeOptions
  extends Omit<SessionThreadHistoryOptions, 'thread' | 'manager' | 'conversationId'> {
  /** useLocalRuntime's own options (maxSteps, attachments, feedback…); `adapters.history` is ours. */
  local?: LocalRuntimeOptions;
}

/**
 * `useLocalRuntime` on one stored conversation: it loads the conversation (every version, the
 * selected branch), records each message, stores a reply's text while it streams and the branch
 * the user picks. `conversationId` is yours to keep (a route param, or a new `crypto.randomUUID()`).
 */
export function useSessionLocalRuntime(
  chatModel: ChatModelAdapter,
  conversationId: string,
  options: UseSessionLocalRuntimeOptions = {},
): AssistantRuntime {
  const { local, ...history } = options;
  const historyRef = useRef(history);
  historyRef.current = history;
  const adapter = useMemo(
    () => new SessionThreadHistoryAdapter({ ...historyRef.current, conversationId }),
    [conversationId],
  );
  const runtime = useLocalRuntime(chatModel, {
    ...local,
    adapters: { ...local?.adapters, history: adapter },
  });
  useEffect(() => adapter.observe(runtime.thread), [adapter, runtime]);
  return runtime;
}

export interface UseSessionThreadListRuntimeOptions extends SessionThreadListOptions {
  /** The model each thread's LocalRuntime runs. */
  chatModel: ChatModelAdapter;
  /** useLocalRuntime's own options for each thread. */
  local?: LocalRuntimeOptions;
  /** A list adapter of your own (default: sessionThreadListAdapter with these options). */
  adapter?: RemoteThreadListAdapter;
  /** The thread to show (a conversation id); undefined: a new thread. */
  threadId?: string;
  onThreadIdChange?: (threadId: string | undefined) => void;
}

/**
 * `useRemoteThreadListRuntime` over the store: a thread list of stored conversations (titles,
 * archive, delete) whose threads each run `useLocalRuntime(chatModel)` with a history adapter
 * that records them, and that is followed (`observe`) for streamed text and branch switches.
 */
export function useSessionThreadListRuntime(options: UseSessionThreadListRuntimeOptions): AssistantRuntime {
  const latest = useRef(options);
  latest.current = options;
  const [adapter] = useState(() => options.adapter ?? sessionThreadListAdapter(options));
  const [chatModel] = useState<ChatModelAdapter>(() => ({
    run: (runOptions) => latest.current.chatModel.run(runOptions),
  }));
  const [runtimeHook] = useState(() => threadRuntimeHook(chatModel, () => latest.current.local));
  return useRemoteThreadListRuntime({
    runtimeHook,
    adapter,
    ...('threadId' in options ? { threadId: options.threadId } : {}),
    ...(options.onThreadIdChange ? { onThreadIdChange: options.onThreadIdChange } : {}),
  });
}

/**
 * Each thread's runtime: useLocalRuntime, followed by its history adapter when it is ours.
 * assistant-ui takes this as `runtimeHook` and calls it once per thread, as a hook.
 */
function threadRuntimeHook(chatModel: ChatModelAdapter, local: () => LocalRuntimeOptions | undefined) {
  // biome-ignore lint/correctness/noComponentHookFactories: useRemoteThreadListRuntime's runtimeHook is such a hook, made once per list
  return function useSessionThreadRuntime(): AssistantRuntime {
    const history = useRuntimeAdapters()?.history;
    const runtime = useLocalRuntime(chatModel, local());
    useEffect(
      () => (history instanceof SessionThreadHistoryAdapter ? history.observe(runtime.thread) : undefined),
      [history, runtime],
    );
    return runtime;
  };
}
