// A rollover: take the conversation's lock when there is one, summarize the full head and
// continue in a new segment.
import { toChatMessages } from '../domain/transcript.ts';
import type { ChatMessage, EventDraft, Session } from '../domain/types.ts';
import { extractiveSummary, type SummarizeFn } from '../prompt/extractiveSummary.ts';
import { liveReplyIn } from '../storage/chainWrites.ts';
import { type LockManagerLike, lockManager } from '../storage/rolloverLock.ts';
import type { SessionStore } from '../storage/sessionStore.ts';

/** What a rollover needs from its SessionManager. */
export interface RolloverHost {
  store: SessionStore;
  /** As passed to the manager: undefined means the browser's `navigator.locks` when present. */
  locks: LockManagerLike | null | undefined;
  summarize: SummarizeFn | undefined;
  summaryTimeoutMs: number;
  summaryOf(sessionId: string): Promise<string | undefined>;
  /** A SUMMARY draft carrying `text`'s counted tokens. */
  summaryDraft(text: string, metadata: Record<string, unknown>): Promise<EventDraft>;
}

/** The head to continue on; `blocked` when a reply still streams in `head`, which then stays open. */
export interface RolloverOutcome {
  head: Session;
  blocked: boolean;
}

/**
 * Summarize `head` and continue in segment `newSessionId`; resolves to the head to continue on
 * (another writer's when it got there first). With Web Locks, tabs take turns per conversation
 * and whoever waited finds the head already rolled over: no summary (and no summarize call) is
 * made in vain.
 */
export async function rollOver(
  host: RolloverHost,
  head: Session,
  newSessionId: string,
): Promise<RolloverOutcome> {
  const { store } = host;
  const locks = lockManager(host.locks);
  if (!locks) return summarizeAndRollOver(host, head, newSessionId);
  return locks.request(`ai-session-manager:rollover:${head.rootId}`, async () => {
    const current = await store.getHead(head.rootId);
    return current && current.id !== head.id
      ? { head: current, blocked: false }
      : summarizeAndRollOver(host, head, newSessionId);
  });
}

async function summarizeAndRollOver(
  host: RolloverHost,
  head: Session,
  newSessionId: string,
): Promise<RolloverOutcome> {
  const { store } = host;
  const events = await store.getEvents(head.id);
  // No summary is made in vain: the store would refuse this rollover too.
  if (liveReplyIn(events)) return { head, blocked: true };
  // The summary covers the path that continues: the active branch, finished replies.
  const activeLeafId = head.state.activeLeafId as string | undefined;
  const messages = toChatMessages(events, { activeLeafId });
  const previousSummary = head.parentId ? await host.summaryOf(head.parentId) : undefined;
  const { text, error } = await makeSummary(host, messages, previousSummary);
  const metadata: Record<string, unknown> = {
    summarizer: error === undefined && host.summarize ? 'callback' : 'extractive',
    segmentIndex: head.segmentIndex,
    ...(error === undefined ? {} : { summaryError: error }),
  };
  const summary = await host.summaryDraft(text, metadata);
  // A summary belongs to the conversation, not to whichever run's message triggered it.
  delete summary.taskId;
  const result = await store.rollover({
    fromSessionId: head.id,
    summary,
    newSession: {
      id: newSessionId,
      ...(head.systemPrompt === undefined ? {} : { systemPrompt: head.systemPrompt }),
      metadata: {},
      state: activeLeafId ? { activeLeafId } : {},
      createdAt: new Date().toISOString(),
    },
  });
  return { head: result.head, blocked: result.blockedBy !== undefined };
}

async function makeSummary(
  host: RolloverHost,
  messages: ChatMessage[],
  previousSummary: string | undefined,
): Promise<{ text: string; error?: string }> {
  const { summarize: fn, summaryTimeoutMs } = host;
  if (!fn) return { text: await extractiveSummary(messages, previousSummary) };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`summarize took longer than ${summaryTimeoutMs} ms`)),
        summaryTimeoutMs,
      );
    });
    const text: unknown = await Promise.race([
      Promise.resolve().then(() => fn(messages, previousSummary)),
      timeout,
    ]);
    if (typeof text !== 'string' || text.trim() === '') {
      throw new Error(
        `summarize must return a non-empty string, got ${text === '' ? 'an empty string' : typeof text}`,
      );
    }
    return { text };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { text: await extractiveSummary(messages, previousSummary), error: reason };
  } finally {
    clearTimeout(timer);
  }
}
