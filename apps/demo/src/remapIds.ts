import type { ConversationDocument, SessionEvent } from '@ai-session-manager/core';

/**
 * The same conversation under fresh ids (segments, events and the links between them), so a
 * document can be imported next to the conversation it was exported from.
 */
export function remapIds(
  doc: ConversationDocument,
  newId: () => string = () => crypto.randomUUID(),
): ConversationDocument {
  const sessionIds = new Map(doc.sessions.map((s) => [s.id, newId()]));
  const eventIds = new Map(doc.events.map((e) => [e.id, newId()]));
  const session = (id: string): string => sessionIds.get(id) ?? id;
  const sessions = doc.sessions.map((s) => ({
    ...s,
    id: session(s.id),
    parentId: s.parentId === null ? null : session(s.parentId),
    rootId: session(s.rootId),
  }));
  const events = doc.events.map((e) => {
    const copy: SessionEvent = { ...e, id: eventIds.get(e.id) ?? e.id, sessionId: session(e.sessionId) };
    if (e.parentEventId !== undefined) copy.parentEventId = eventIds.get(e.parentEventId) ?? e.parentEventId;
    return copy;
  });
  return { ...doc, conversationId: session(doc.conversationId), sessions, events };
}
