import { conversationTotals } from '../domain/totals.ts';
import type { Session } from '../domain/types.ts';
import type { ConversationSummary, ListConversationsOptions } from './sessionStore.ts';

/** One conversation for a sidebar, from its head row (totals and list time) and root row (metadata). */
export function summaryFromHead(head: Session, root: Session): ConversationSummary {
  const title = root.metadata.title;
  return {
    conversationId: head.rootId,
    headSessionId: head.id,
    segments: head.segmentIndex + 1,
    systemPrompt: head.systemPrompt,
    metadata: root.metadata,
    createdAt: root.createdAt,
    updatedAt: head.headAt ?? head.updatedAt,
    totals: conversationTotals(head),
    ...(typeof title === 'string' ? { title } : {}),
  };
}

/** The [headAt+rootId] key a page starts below, or undefined for the first page. */
export function pageStart(options: ListConversationsOptions): [string, string] | undefined {
  const { before } = options;
  if (before === undefined) return undefined;
  // '' sorts before every id, so a bare time excludes every conversation updated at it.
  return typeof before === 'string' ? [before, ''] : [before.updatedAt, before.conversationId];
}
