import type { ConversationDocument } from '@ai-session-manager/core';
import { scrubMetadata } from './scrubSecrets';

/** An export with the endpoint-text fields of every event's metadata scrubbed (see `scrubMetadata`). */
export function scrubDocument(doc: ConversationDocument): ConversationDocument {
  let changed = false;
  const events = doc.events.map((event) => {
    const metadata = scrubMetadata(event.metadata);
    if (metadata === event.metadata) return event;
    changed = true;
    return { ...event, metadata };
  });
  return changed ? { ...doc, events } : doc;
}
