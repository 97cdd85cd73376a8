// The typical app, plus streamed replies, regenerate, edit and the version switcher.
import type { SessionManager } from '@ai-session-manager/core';

export * from './typical';

export async function streamReply(chat: SessionManager, deltas: AsyncIterable<string>) {
  const reply = await chat.beginResponse({ model: 'gpt-4o-mini' });
  for await (const delta of deltas) reply.append(delta);
  await reply.finish();
}

export const regenerate = (chat: SessionManager) => chat.regenerate();
export const edit = (chat: SessionManager, eventId: string, text: string) => chat.editMessage(eventId, text);

export async function showVersion(chat: SessionManager, eventId: string, index: number) {
  const { versions } = await chat.getAlternatives(eventId);
  const version = versions[index];
  if (version) await chat.selectAlternative(version.eventId);
}
