// Appending to a conversation whose head may be full: roll over (summarize, new segment) and
// append there, as often as other tabs keep filling the new heads first.
import { SessionManagerError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { Scrubber } from '../domain/scrubSecrets.ts';
import {
  type EventDraft,
  EventSource,
  EventType,
  type Session,
  type SessionEvent,
  type TokenUsage,
} from '../domain/types.ts';
import type { SummarizeFn } from '../prompt/extractiveSummary.ts';
import { isAtLimit } from '../storage/chainWrites.ts';
import type { LockManagerLike } from '../storage/rolloverLock.ts';
import type { RolloverLimits, SessionStore } from '../storage/sessionStore.ts';
import { countTokens, tokenCountSource } from '../tokens/index.ts';
import type { DraftEvent } from '../streaming/replyHost.ts';
import type { ConversationHead } from './conversationHead.ts';
import { rollOver } from './rollover.ts';

/** What appending and rolling over need from the manager. */
export interface AppendContext {
  readonly store: SessionStore;
  readonly head: ConversationHead;
  readonly defaultModel: string;
  /** As passed to the manager: undefined means the browser's `navigator.locks` when present. */
  readonly locks: LockManagerLike | null | undefined;
  readonly summarize: SummarizeFn | undefined;
  readonly summaryTimeoutMs: number;
  /** Applied to the summary's text (a summarize callback's words); `draft` scrubs summaryError. */
  readonly scrub: Scrubber;
  draft: DraftEvent;
}

/**
 * Append `draft` after `head`; with `limits` (a message in infinite mode), roll over first when
 * the head is full. Other tabs may fill each new segment first: then this retries on the newer
 * head for as long as the chain moves (every refusal is of a full head, newer than the last one
 * refused), so a busy conversation delays the event but never turns it away. A store that
 * refuses anything else is broken, and that throws.
 */
export async function appendWithRollover(
  context: AppendContext,
  head: Session,
  draft: EventDraft,
  limits: RolloverLimits | undefined,
): Promise<SessionEvent> {
  let rolloverAt = limits;
  let refusedAt = -1;
  for (;;) {
    const result = await context.store.appendEvent(head.id, draft, { rolloverAt, expectedHead: head });
    context.head.adopt(result.head);
    if (result.status === 'appended') return result.event;
    if (!isAtLimit(result.head, rolloverAt) || result.head.segmentIndex <= refusedAt) {
      throw new SessionManagerError(
        `The store refused the event for segment ${result.head.segmentIndex}, which is not full or was already rolled over (a store bug).`,
      );
    }
    refusedAt = result.head.segmentIndex;
    // A reply still streaming in the full head: write there; the next message after it rolls over.
    if (!(await rollOverHead(context, result.head))) rolloverAt = undefined;
    head = context.head.row!;
  }
}

/**
 * Summarize `head` and continue in a new segment; if another writer got there first, adopt
 * theirs. false when a reply still streams in `head` (it stays open until the reply ends).
 */
export async function rollOverHead(
  context: AppendContext,
  head: Session,
  newSessionId: string = newId(),
): Promise<boolean> {
  const model = context.defaultModel;
  const { head: next, blocked } = await rollOver(
    {
      store: context.store,
      locks: context.locks,
      summarize: context.summarize,
      summaryTimeoutMs: context.summaryTimeoutMs,
      summaryOf: (id) => context.head.summaryOf(id),
      summaryDraft: async (raw, metadata) => {
        const text = context.scrub(raw);
        const tokens = await countTokens(text, model);
        const usage: TokenUsage = {
          promptTokens: tokens,
          completionTokens: 0,
          totalTokens: tokens,
          model,
          estimatedCostUsd: null,
          source: tokenCountSource(model),
          contextTokens: tokens,
        };
        return context.draft(EventSource.SYSTEM, EventType.SUMMARY, text, metadata, usage);
      },
    },
    head,
    newSessionId,
  );
  context.head.adopt(next);
  return !blocked;
}
