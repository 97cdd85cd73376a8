import {
  type FilePart,
  type ResponseStream,
  SessionManager,
  type SessionEvent,
} from '@ai-session-manager/core';
import { activePath, versionGroup, versionsByGroup } from '@ai-session-manager/core/chat';
import { useConversation, useSession, useSessionStore } from '@ai-session-manager/react';
import { type ReactNode, useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { openNewTurn, openReply, type Recorder, ReplyFailedError, streamAnswer } from './answerTurn';
import { type ChatActions, ChatActionsContext, type ChatState, ChatStateContext } from './chatContext';
import { type LiveReply, liveReplies } from './liveReplies';
import { nextPrompt } from './nextPrompt';
import { TIMELINE_WINDOW } from './timelineRows';
import type { PendingTurn } from './PendingMessage';
import type { Responder } from './responder';
import { sessionOptions } from './sessionOptions';
import type { Thresholds } from './settings';
import { LEASE_MS } from './testHooks';

interface ChatProviderProps {
  conversationId: string;
  thresholds: Thresholds;
  responder: Responder;
  /** An edit or regenerate in a summarized segment forked a new conversation: open it. */
  onNavigate(conversationId: string, notice: string): void;
  /** Called when the user sends a message. */
  onSend?(): void;
  children: ReactNode;
}

const FORK_NOTICE =
  'was in an older, summarized segment, so it opened in a new conversation with the history up to it; the original conversation is unchanged.';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The conversation's chat: sending (the answer streams in, recorded from its first chunk),
 * Stop, regenerate, edit, switching versions, and resuming or discarding an interrupted reply.
 * Rows and the composer read it with useChat().
 */
export function ChatProvider({
  conversationId,
  thresholds,
  responder,
  onNavigate,
  onSend,
  children,
}: ChatProviderProps) {
  const options = sessionOptions(thresholds, responder);
  const session = useSession(conversationId, options);
  const store = useSessionStore();
  // The timeline's window (same options, so the same slice, older pages included): not every event.
  const { events, segments } = useConversation(conversationId, TIMELINE_WINDOW);
  const [pending, setPending] = useState<PendingTurn | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lives = useSyncExternalStore(liveReplies.subscribe, liveReplies.snapshot);
  const mine = lives.find((l) => l.conversationId === conversationId) ?? null;
  const latest = useRef({ session, options, onNavigate, onSend });
  latest.current = { session, options, onNavigate, onSend };

  const head = segments.at(-1);
  const activeLeafId = head?.state.activeLeafId as string | undefined;
  const hidden = useMemo(() => {
    if (!events.some((e) => e.branch?.parent !== undefined || e.reply?.status === 'discarded')) return null;
    const shown = new Set(activePath(events, activeLeafId).map((e) => e.id));
    return new Set(events.filter((e) => !shown.has(e.id)).map((e) => e.id));
  }, [events, activeLeafId]);
  const groups = useMemo(() => versionsByGroup(events), [events]);
  const alternativesOf = useCallback(
    (event: SessionEvent) => {
      const versions = groups.get(versionGroup(event));
      const index = versions ? versions.findIndex((v) => v.id === event.id) : -1;
      return versions && index >= 0 ? { index, count: versions.length } : undefined;
    },
    [groups],
  );

  /** Run one streamed answer as this tab's live reply of `conversation` (Stop aborts its signal). */
  const run = useCallback(async (work: (entry: LiveReply, signal: AbortSignal) => Promise<void>) => {
    const controller = new AbortController();
    const entry: LiveReply = {
      conversationId: latest.current.session.conversationId,
      reply: null,
      stop: () => controller.abort(),
    };
    liveReplies.add(entry);
    try {
      await work(entry, controller.signal);
    } finally {
      liveReplies.remove(entry);
    }
  }, []);

  const hooks = useCallback(
    (entry: LiveReply, signal: AbortSignal) => ({
      signal,
      ...(LEASE_MS ? { leaseMs: LEASE_MS } : {}),
      onReasoning(text: string) {
        entry.reasoning = text;
        liveReplies.update();
      },
      onReply(reply: ResponseStream) {
        entry.reply = reply;
        liveReplies.update();
        setPending(null);
      },
    }),
    [],
  );

  /** A manager for a forked conversation (the hook's manager stays on this one). */
  const recorderFor = useCallback(
    async (id: string): Promise<Recorder> => {
      const { session: s, options: o } = latest.current;
      return id === s.conversationId ? s : SessionManager.open(id, { ...o, store });
    },
    [store],
  );

  /** Answer the last user message of `recorder`'s conversation (after an edit, or a retry of one). */
  const answerLast = useCallback(
    (recorder: Recorder, text: string, files: FilePart[] = []) =>
      run(async (entry, signal) => {
        entry.conversationId = recorder.conversationId;
        setPending({ text, status: 'sending', recorded: true, files });
        try {
          const history = await nextPrompt(recorder.getMessagesForLLM.bind(recorder), responder.model);
          const reply = await streamAnswer(
            recorder,
            responder,
            { text, history, files },
            openReply(recorder, responder, LEASE_MS),
            hooks(entry, signal),
          );
          setPending(
            reply ? null : { text, status: 'failed', recorded: true, error: 'Stopped before any answer.' },
          );
        } catch (error) {
          if (error instanceof ReplyFailedError) {
            setPending(null);
            setNotice(`The answer broke off: ${error.message} What arrived is kept, marked stopped.`);
          } else setPending({ text, status: 'failed', recorded: true, error: messageOf(error) });
        }
      }),
    [run, hooks, responder],
  );

  const send = useCallback(
    (message: string, files: FilePart[] = []) =>
      void run(async (entry, signal) => {
        const { session: s, onSend: sent } = latest.current;
        sent?.();
        setNotice(null);
        setPending({ text: message, status: 'sending', files });
        try {
          const history = await nextPrompt(s.getMessagesForLLM, responder.model, message);
          const reply = await streamAnswer(
            s,
            responder,
            { text: message, history, files },
            openNewTurn(s, store, responder, message, LEASE_MS, files),
            hooks(entry, signal),
          );
          if (!reply)
            setPending({
              text: message,
              status: 'failed',
              files,
              error: 'Stopped before any answer: nothing was recorded.',
            });
        } catch (error) {
          if (error instanceof ReplyFailedError) {
            setPending(null);
            setNotice(`The answer broke off: ${error.message} What arrived is kept, marked stopped.`);
          } else setPending({ text: message, status: 'failed', files, error: messageOf(error) });
        }
      }),
    [run, hooks, responder, store],
  );

  const act = useCallback(async (work: () => Promise<void>) => {
    setNotice(null);
    try {
      await work();
    } catch (error) {
      setNotice(messageOf(error));
    }
  }, []);

  const regenerate = useCallback(
    (eventId: string) =>
      void act(() =>
        run(async (entry, signal) => {
          const { session: s, onNavigate: navigate } = latest.current;
          const reply = await s.regenerate(eventId, {
            model: responder.model,
            provider: responder.provider,
            ...(LEASE_MS ? { leaseMs: LEASE_MS } : {}),
          });
          entry.conversationId = reply.conversationId;
          entry.reply = reply;
          liveReplies.update();
          const forked = reply.conversationId !== s.conversationId;
          const recorder = await recorderFor(reply.conversationId);
          if (forked) navigate(reply.conversationId, `Regenerated: the reply ${FORK_NOTICE}`);
          try {
            const history = await nextPrompt(recorder.getMessagesForLLM.bind(recorder), responder.model);
            const question = [...history].reverse().find((m) => m.role === 'user')?.content ?? '';
            const { versions } = await recorder
              .getAlternatives(reply.eventId)
              .catch(() => ({ versions: [] }));
            const attempt = Math.max(2, versions.length);
            const done = await streamAnswer(
              recorder,
              responder,
              { text: question, history, attempt },
              async () => reply,
              { signal },
            );
            if (done) return;
            throw new Error('Stopped before any answer.');
          } catch (error) {
            if (error instanceof ReplyFailedError) throw new Error(`The answer broke off: ${error.message}`);
            // Nothing arrived: drop the empty version and show the previous one again.
            if (reply.status === 'streaming') await reply.discard().catch(() => undefined);
            if (!forked) await s.selectAlternative(eventId).catch(() => undefined);
            throw new Error(`Regenerate failed, the previous version is kept: ${messageOf(error)}`);
          }
        }),
      ),
    [act, run, responder, recorderFor],
  );

  const edit = useCallback(
    (eventId: string, text: string, files: FilePart[] = []) =>
      void act(async () => {
        const { session: s, onNavigate: navigate } = latest.current;
        // The new version keeps the message's attachments.
        const parts = files.length ? { parts: [{ type: 'text', text }, ...files] } : undefined;
        const result = await s.editMessage(eventId, text, parts);
        const recorder = await recorderFor(result.conversationId);
        if (result.forked) navigate(result.conversationId, `Edited: the message ${FORK_NOTICE}`);
        await answerLast(recorder, text, files);
      }),
    [act, recorderFor, answerLast],
  );

  const step = useCallback(
    (eventId: string, by: -1 | 1) =>
      void act(async () => {
        const s = latest.current.session;
        const { versions } = await s.getAlternatives(eventId);
        const at = versions.findIndex((v) => v.eventId === eventId);
        const target = versions[at + by];
        if (target) await s.selectAlternative(target.eventId);
      }),
    [act],
  );

  const resume = useCallback(
    (eventId: string) =>
      void act(async () => {
        const reply = await latest.current.session.resumeResponse(eventId);
        await reply.finish();
      }),
    [act],
  );

  const discard = useCallback(
    (eventId: string) =>
      void act(async () => {
        await latest.current.session.discardResponse(eventId);
      }),
    [act],
  );

  // Read when called, so the actions stay the same functions while what they act on changes.
  const now = useRef({ pending, mine });
  now.current = { pending, mine };
  const retry = useCallback(() => {
    const { pending } = now.current;
    if (pending?.status !== 'failed') return;
    latest.current.onSend?.();
    if (pending.recorded) void answerLast(latest.current.session, pending.text, pending.files);
    else send(pending.text, pending.files);
  }, [send, answerLast]);

  const takePending = useCallback(() => {
    const { pending } = now.current;
    const text = pending && !pending.recorded ? pending.text : null;
    setPending(null);
    return text;
  }, []);

  const stop = useCallback(() => now.current.mine?.stop(), []);
  const dismissNotice = useCallback(() => setNotice(null), []);

  const state = useMemo<ChatState>(
    () => ({
      isReady: session.isReady,
      error: session.error?.message ?? null,
      pending,
      busy: pending?.status === 'sending' || mine !== null,
      liveReplyId: mine?.reply?.eventId ?? null,
      liveReasoning: mine?.reasoning ?? null,
      notice,
      headId: head?.id,
      hidden,
      alternativesOf,
    }),
    [
      session.isReady,
      session.error,
      pending,
      mine,
      mine?.reasoning,
      notice,
      head?.id,
      hidden,
      alternativesOf,
    ],
  );
  const actions = useMemo<ChatActions>(
    () => ({ send, retry, takePending, stop, regenerate, edit, step, resume, discard, dismissNotice }),
    [send, retry, takePending, stop, regenerate, edit, step, resume, discard, dismissNotice],
  );
  return (
    <ChatActionsContext.Provider value={actions}>
      <ChatStateContext.Provider value={state}>{children}</ChatStateContext.Provider>
    </ChatActionsContext.Provider>
  );
}
