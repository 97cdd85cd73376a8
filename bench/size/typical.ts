// A typical app on core: one conversation on the default (IndexedDB) store, a prompt for the
// model, the transcript, the stats and a sidebar list.
import { type ChatMessage, getDefaultStore, SessionManager } from '@ai-session-manager/core';

export type CallModel = (messages: ChatMessage[]) => Promise<string>;

export async function openChat(conversationId?: string): Promise<SessionManager> {
  const options = { systemPrompt: 'You are helpful.', infiniteContext: true };
  return conversationId ? SessionManager.open(conversationId, options) : new SessionManager(options);
}

export async function send(chat: SessionManager, text: string, callModel: CallModel) {
  await chat.userSays(text);
  const prompt = await chat.getMessagesForLLM({ maxTokens: 8000 });
  await chat.aiResponds(await callModel(prompt), { model: 'gpt-4o-mini' });
  return { turns: await chat.getConversation(), stats: await chat.getStats() };
}

export const listConversations = () => getDefaultStore().listConversations({ limit: 50 });
