import { laterIso } from './ids';
import { sumTotals } from './totals';
import type { Session, SessionStats } from './types';

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
  const totals = sumTotals(included.map((s) => s.totals));
  return {
    sessionId: head.id,
    conversationId: root.rootId,
    sessionSegments: segments.length,
    sessionChain: segments.map((s) => s.id),
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
    createdAt: root.createdAt,
    lastUpdate: segments.map((s) => s.updatedAt).reduce(laterIso),
    infiniteContext: options.infiniteContext,
  };
}
