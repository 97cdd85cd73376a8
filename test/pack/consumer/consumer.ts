// Type-checked from the installed tarballs under `nodenext` and under `bundler`, skipLibCheck off:
// every entry's declarations must resolve and carry real types (a wrong assignment is an error).
import { MemorySessionStore, SessionManager, type SessionStats } from '@ai-session-manager/core';
import { ResponseStream } from '@ai-session-manager/core/chat';
import { type BranchLink, activePath } from '@ai-session-manager/core/branches';
import { type ConversationDocument, validateConversationDocument } from '@ai-session-manager/core/interop';
import { type ReplyState, replyStatus } from '@ai-session-manager/core/streaming';
import { SessionChatTransport } from '@ai-session-manager/ai-sdk';
import { useSessionChat } from '@ai-session-manager/ai-sdk/react';
import { useSessionLocalRuntime } from '@ai-session-manager/assistant-ui';
import { SessionProvider, useSessionStats } from '@ai-session-manager/react';
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';

export async function record(): Promise<SessionStats> {
  const sm = new SessionManager({ store: new MemorySessionStore() });
  await sm.userSays('hello');
  return sm.getStats();
}

// @ts-expect-error a SessionManager is not a number: the declarations are not `any`
export const wrong: number = new SessionManager();

export function check(doc: ConversationDocument, link: BranchLink, reply: ReplyState): number {
  return (
    validateConversationDocument(doc).events.length +
    activePath(doc.events).length +
    (link.parent ? 1 : 0) +
    (replyStatus({ reply }) === 'complete' ? 1 : 0)
  );
}

export const entries = [
  ResponseStream,
  SessionChatTransport,
  useSessionChat,
  useSessionLocalRuntime,
  SessionProvider,
  useSessionStats,
  sessionPersistence,
];
