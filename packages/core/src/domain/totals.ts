import { isFinished } from './replyStatus.ts';
import {
  EventSource,
  EventType,
  type Session,
  type SessionEvent,
  type SessionTotals,
  TOKEN_KINDS,
} from './types.ts';

export function emptyTotals(): SessionTotals {
  return {
    events: 0,
    messages: 0,
    userMessages: 0,
    aiMessages: 0,
    toolCalls: 0,
    summaries: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    estimatedCostUsd: 0,
    contextTokens: 0,
    cachedPromptTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    unpricedTokens: 0,
  };
}

/** The running totals after one more event; pure, so stores apply it inside their write transaction. */
export function addEventToTotals(totals: SessionTotals, event: SessionEvent): SessionTotals {
  const next = { ...totals, events: totals.events + 1 };
  // A reply in flight (or discarded before it finished) occupies its seq but counts nothing else.
  if (!isFinished(event)) return next;
  if (event.type === EventType.MESSAGE) {
    next.messages += 1;
    if (event.source === EventSource.USER) next.userMessages += 1;
    if (event.source === EventSource.LLM) next.aiMessages += 1;
  } else if (event.type === EventType.TOOL_CALL) {
    next.toolCalls += 1;
  } else if (event.type === EventType.SUMMARY) {
    next.summaries += 1;
  }
  const usage = event.tokenUsage;
  if (usage) {
    next.promptTokens += usage.promptTokens;
    next.completionTokens += usage.completionTokens;
    next.totalTokens += usage.totalTokens;
    next.estimatedCostUsd += usage.estimatedCostUsd ?? 0;
    // A summary is not a model call of its own: its tokens are billed where prompts carry it.
    const unpriced = usage.estimatedCostUsd === null && event.type !== EventType.SUMMARY;
    next.unpricedTokens = (totals.unpricedTokens ?? 0) + (unpriced ? usage.totalTokens : 0);
    // Events from before contextTokens existed occupy what they were counted as.
    next.contextTokens =
      (totals.contextTokens ?? totals.totalTokens) + (usage.contextTokens ?? usage.totalTokens);
    // Rows from before the token kinds existed lack them: nothing was counted in them then.
    for (const kind of TOKEN_KINDS) next[kind] = (totals[kind] ?? 0) + (usage[kind] ?? 0);
  }
  return next;
}

/** Sum of several segments' totals (a conversation's totals). Rows from before v2 lack contextTokens: their totalTokens stand in. */
export function sumTotals(all: readonly SessionTotals[]): SessionTotals {
  const sum = emptyTotals();
  for (const t of all) {
    for (const key of Object.keys(sum) as (keyof SessionTotals)[]) {
      sum[key] = (sum[key] ?? 0) + (t[key] ?? (key === 'contextTokens' ? t.totalTokens : 0));
    }
  }
  return sum;
}

/** `after` less `before`, key by key (what one event's change adds to its segment). */
export function totalsDifference(after: SessionTotals, before: SessionTotals): SessionTotals {
  const out = emptyTotals();
  for (const key of Object.keys(out) as (keyof SessionTotals)[])
    out[key] = (after[key] ?? 0) - (before[key] ?? 0);
  return out;
}

/** A conversation's totals from its head row alone: every earlier segment is in `priorTotals`. */
export function conversationTotals(head: Session): SessionTotals {
  return head.priorTotals ? sumTotals([head.priorTotals, head.totals]) : sumTotals([head.totals]);
}
