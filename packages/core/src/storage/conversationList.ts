import { InvalidInputError } from '../domain/errors.ts';
import { conversationTotals } from '../domain/totals.ts';
import type { Session } from '../domain/types.ts';
import { describe, objectArg } from '../domain/validate.ts';
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

/** Both stores' options, checked: a bad limit or `before` would otherwise list nothing, silently. */
export function listOptions(options: unknown): ListConversationsOptions {
  const { limit, before } = objectArg<ListConversationsOptions>(options, 'options');
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    const got = typeof limit === 'number' ? String(limit) : describe(limit);
    throw new InvalidInputError(`limit must be a non-negative integer, got ${got}.`, 'limit');
  }
  if (before !== undefined && typeof before !== 'string') {
    const row = objectArg<Record<string, unknown>>(before, 'before');
    if (typeof row.updatedAt !== 'string' || typeof row.conversationId !== 'string') {
      throw new InvalidInputError(
        'before must be an updatedAt string or a listed row ({ updatedAt, conversationId } strings).',
        'before',
      );
    }
  }
  return { limit, before };
}

/** The [headAt+rootId] key a page starts below, or undefined for the first page. */
export function pageStart(options: ListConversationsOptions): [string, string] | undefined {
  const { before } = options;
  if (before === undefined) return undefined;
  // '' sorts before every id, so a bare time excludes every conversation updated at it.
  return typeof before === 'string' ? [before, ''] : [before.updatedAt, before.conversationId];
}
