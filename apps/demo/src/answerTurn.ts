import type { SessionStore } from '@ai-session-manager/core';
import type { SessionActions } from '@ai-session-manager/react';
import { nextPrompt } from './nextPrompt';
import type { Responder, ResponderReply } from './responder';

/**
 * Ask the responder about `message`, then record the question, its tool calls and the answer.
 * Nothing is written until the model has answered: a request that fails leaves no unanswered
 * turn behind and costs nothing, and retrying it asks again with the same history.
 */
export async function answerTurn(
  session: SessionActions & { conversationId: string },
  store: SessionStore,
  responder: Responder,
  message: string,
  signal?: AbortSignal,
): Promise<ResponderReply> {
  const prompt = await nextPrompt(session.getMessagesForLLM, responder.model, message);
  const reply = await responder.respond({ text: message, history: prompt, ...(signal ? { signal } : {}) });
  await session.userSays(message);
  await nameConversation(store, session.conversationId, message);
  const replyId = crypto.randomUUID();
  for (const call of reply.toolCalls) {
    await session.toolUsed(call.name, call.arguments, call.result, {
      error: call.error,
      toolCallId: call.toolCallId,
      parentEventId: replyId,
    });
  }
  await session.aiResponds(reply.text, {
    model: reply.model,
    provider: reply.provider,
    eventId: replyId,
    ...(reply.usage ? { usage: reply.usage } : {}),
  });
  return reply;
}

/** Give a new conversation a title (its first message) in the root segment's metadata. */
async function nameConversation(
  store: SessionStore,
  conversationId: string,
  firstMessage: string,
): Promise<void> {
  const root = await store.getSession(conversationId);
  if (!root || typeof root.metadata.title === 'string') return;
  const oneLine = firstMessage.replace(/\s+/g, ' ').trim();
  const title = oneLine.length > 60 ? `${oneLine.slice(0, 59).trimEnd()}…` : oneLine;
  await store.updateSession(conversationId, { metadata: { ...root.metadata, title } });
}
