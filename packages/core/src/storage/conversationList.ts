import { laterIso } from '../ids';
import { sumTotals } from '../totals';
import type { Session } from '../types';
import type { ConversationSummary } from './sessionStore';

/** Group segment rows into conversations, most recently updated first. */
export function summarizeConversations(sessions: readonly Session[]): ConversationSummary[] {
  const byRoot = new Map<string, Session[]>();
  for (const s of sessions) {
    const group = byRoot.get(s.rootId);
    if (group) group.push(s);
    else byRoot.set(s.rootId, [s]);
  }
  const list: ConversationSummary[] = [];
  for (const [conversationId, segments] of byRoot) {
    segments.sort((a, b) => a.segmentIndex - b.segmentIndex);
    const root = segments[0]!;
    const head = segments[segments.length - 1]!;
    list.push({
      conversationId,
      headSessionId: head.id,
      segments: segments.length,
      systemPrompt: head.systemPrompt,
      metadata: root.metadata,
      createdAt: root.createdAt,
      updatedAt: segments.map((s) => s.updatedAt).reduce(laterIso),
      totals: sumTotals(segments.map((s) => s.totals)),
    });
  }
  return list.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}
