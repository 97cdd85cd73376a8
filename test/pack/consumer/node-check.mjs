// Plain Node, no bundler: core and the AI SDK adapter load from the installed tarballs and
// record a conversation in the memory store.
import assert from 'node:assert/strict';
import { MemorySessionStore, SessionManager, exportConversation } from '@ai-session-manager/core';
import * as aiSdk from '@ai-session-manager/ai-sdk';
import { activePath } from '@ai-session-manager/core/branches';
import { validateConversationDocument } from '@ai-session-manager/core/interop';
import { replyStatus } from '@ai-session-manager/core/streaming';

const store = new MemorySessionStore();
const sm = new SessionManager({ store });
await sm.userSays('What is IndexedDB?');
await sm.aiResponds('A database in the browser.', { model: 'gpt-4o-mini' });
const stats = await sm.getStats();
assert.equal(stats.totalMessages, 2);
assert.ok(stats.totalTokens > 0, 'tokens are counted');
const again = await SessionManager.open(sm.conversationId, { store });
assert.deepEqual(
  (await again.getConversation()).map((t) => t.content),
  ['What is IndexedDB?', 'A database in the browser.'],
);
const doc = await exportConversation(sm.conversationId, { store });
assert.equal(doc.events.length, 2);
// The subpath entries load in plain Node too.
assert.equal(validateConversationDocument(JSON.stringify(doc)).events.length, 2);
assert.equal(activePath(doc.events).length, 2);
assert.equal(replyStatus(doc.events[1]), 'complete');
assert.equal(typeof aiSdk.SessionChatTransport, 'function');
console.log(`node: ${stats.totalMessages} messages, ${stats.totalTokens} tokens recorded from the tarballs`);
