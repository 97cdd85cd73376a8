import { exportConversation, MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';

const SECRET = 'SECRET123';
const scrub = (text: string) => text.replaceAll(SECRET, '[redacted]');

/** A conversation written without a scrub option (rows from an older version hold the key). */
async function unscrubbed() {
  const store = new MemorySessionStore();
  const sm = new SessionManager({ store, metadata: { title: `about ${SECRET}` } });
  await sm.userSays(`key ${SECRET}`, { note: SECRET, nested: { raw: SECRET } });
  await sm.toolUsed('fetch', { key: SECRET }, { ok: false }, { error: `denied ${SECRET}` });
  await sm.aiResponds(`half ${SECRET}`, { abortReason: `401 ${SECRET}` });
  return { store, id: sm.conversationId };
}

describe('exportConversation({ scrub })', () => {
  it('scrubs message text, abort reasons, tool errors and top-level metadata strings', async () => {
    const { store, id } = await unscrubbed();
    const doc = await exportConversation(id, { store, scrub });
    const [user, tool, reply] = doc.events;
    expect(user!.message).toBe('key [redacted]');
    expect(user!.metadata).toEqual({ note: '[redacted]', nested: { raw: SECRET } });
    expect(tool!.message).toMatchObject({ error: 'denied [redacted]', arguments: { key: SECRET } });
    expect(reply!.message).toBe('half [redacted]');
    expect(reply!.reply?.abortReason).toBe('401 [redacted]');
    expect(doc.sessions[0]!.metadata.title).toBe('about [redacted]');
    // Only nested values and tool arguments (the app's structured data) keep it.
    expect(JSON.stringify(doc).split(SECRET)).toHaveLength(3);
    // What is stored is not changed.
    expect((await store.getEvents(id))[0]!.message).toBe(`key ${SECRET}`);
  });

  it('without scrub the document is what is stored', async () => {
    const { store, id } = await unscrubbed();
    const doc = await exportConversation(id, { store });
    expect(doc.events[0]!.message).toBe(`key ${SECRET}`);
    expect(doc.events[2]!.reply?.abortReason).toBe(`401 ${SECRET}`);
  });
});
