import { laterIso } from './ids.ts';
import { conversationTotals, sumTotals } from './totals.ts';
import type { Session, SessionStats, SessionTotals } from './types.ts';

export interface StatsOptions {
  /** Reported as is: the rows do not record which option a writer used. */
  infiniteContext: boolean;
  /** Sum every segment (default) or only the newest one. */
  includeAllSegments?: boolean;
}

/**
 * SessionStats from a conversation's segment rows (root first), read from their running
 * totals: no event is scanned. null when the conversation has no stored segment.
 */
export function statsFromSegments(segments: readonly Session[], options: StatsOptions): SessionStats | null {
  const root = segments[0];
  const head = segments[segments.length - 1];
  if (!root || !head) return null;
  const included = (options.includeAllSegments ?? true) ? segments : [head];
  return buildStats(
    root,
    head,
    segments.map((s) => s.id),
    sumTotals(included.map((s) => s.totals)),
    segments.map((s) => s.updatedAt).reduce(laterIso),
    options.infiniteContext,
  );
}

/**
 * The same SessionStats from two rows whatever the segment count: the root (createdAt) and the
 * head, whose `priorTotals` carries every earlier segment (schema v2). `sessionChain` is the
 * segment ids ending with the head's, oldest first: all of them, or (as getStats reads them) the
 * newest CHAIN_IDS; `sessionSegments` is the head's segmentIndex + 1 either way.
 */
export function statsFromHead(
  root: Session,
  head: Session,
  options: StatsOptions & { sessionChain: readonly string[] },
): SessionStats {
  const totals = (options.includeAllSegments ?? true) ? conversationTotals(head) : sumTotals([head.totals]);
  const lastUpdate = laterIso(laterIso(root.updatedAt, head.updatedAt), head.headAt ?? head.updatedAt);
  return buildStats(root, head, [...options.sessionChain], totals, lastUpdate, options.infiniteContext);
}

function buildStats(
  root: Session,
  head: Session,
  sessionChain: string[],
  totals: SessionTotals,
  lastUpdate: string,
  infiniteContext: boolean,
): SessionStats {
  return {
    sessionId: head.id,
    conversationId: root.rootId,
    sessionSegments: head.segmentIndex + 1,
    sessionChain,
    totalMessages: totals.messages,
    totalEvents: totals.events,
    userMessages: totals.userMessages,
    aiMessages: totals.aiMessages,
    toolCalls: totals.toolCalls,
    summaries: totals.summaries,
    totalTokens: totals.totalTokens,
    promptTokens: totals.promptTokens,
    completionTokens: totals.completionTokens,
    estimatedCost: totals.estimatedCostUsd,
    contextTokens: totals.contextTokens,
    // sumTotals fills every field, also for rows written before the token kinds.
    cachedPromptTokens: totals.cachedPromptTokens!,
    cacheWriteTokens: totals.cacheWriteTokens!,
    reasoningTokens: totals.reasoningTokens!,
    unpricedTokens: totals.unpricedTokens!,
    createdAt: root.createdAt,
    lastUpdate,
    infiniteContext,
  };
}
