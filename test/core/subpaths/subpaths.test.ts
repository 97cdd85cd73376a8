// The optional features as real subpath entries: `@ai-session-manager/core/streaming`,
// `/branches`, `/interop` (issue 19). Each works without the main entry's manager.
import { exportConversation, MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import { activePath, BranchError, versionsByGroup } from '@ai-session-manager/core/branches';
import {
  CONVERSATION_VERSION,
  importConversation,
  toOpenAIMessages,
  validateConversationDocument,
} from '@ai-session-manager/core/interop';
import { isLive, ReplyStateError, replyStatus, ResponseStream } from '@ai-session-manager/core/streaming';
import { describe, expect, it } from 'vitest';

describe('subpath entries', () => {
  it('branches, streaming and interop read what the manager wrote', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store, defaultModel: 'gpt-4o-mini' });
    await sm.userSays('Pick a city');
    await sm.aiResponds('Rome', { eventId: 'r1' });
    const again = await sm.regenerate('r1');
    expect(again).toBeInstanceOf(ResponseStream);
    const live = (await sm.getEvents()).at(-1)!;
    expect(replyStatus(live)).toBe('streaming');
    expect(isLive(live)).toBe(true);
    again.append('Paris');
    await again.finish();
    const events = await sm.getEvents();
    expect(activePath(events).map((e) => e.message)).toEqual(['Pick a city', 'Paris']);
    expect([...versionsByGroup(events).get('r1')!].map((e) => e.message)).toEqual(['Rome', 'Paris']);
    expect(new BranchError('x')).toBeInstanceOf(Error);
    expect(new ReplyStateError('x')).toBeInstanceOf(Error);
    const doc = validateConversationDocument(
      JSON.stringify(await exportConversation(sm.conversationId, { store })),
    );
    expect(doc.version).toBe(CONVERSATION_VERSION);
    const copy = await importConversation(doc, { store: new MemorySessionStore() });
    expect(copy.events).toBe(3);
    expect(toOpenAIMessages(doc.events).map((m) => m.content)).toEqual(['Pick a city', 'Paris']);
  });
});
