import {
  type ExportedMessageRepositoryItem,
  fromThreadMessageLike,
  type ThreadMessage,
} from '@assistant-ui/react';

type Like = Parameters<typeof fromThreadMessageLike>[0];

/** A ThreadMessage as assistant-ui's runtime makes it (through its own fromThreadMessageLike). */
export function message(
  id: string,
  role: 'user' | 'assistant',
  content: Like['content'],
  extra: Partial<Like> = {},
) {
  return fromThreadMessageLike({ role, content, ...extra }, id, { type: 'complete', reason: 'stop' });
}

/** What the runtime hands `history.append`. */
export function item(parentId: string | null, m: ThreadMessage): ExportedMessageRepositoryItem {
  return { parentId, message: m };
}

/** A user then an assistant text message, as items. */
export const user = (id: string, parentId: string | null, text: string) =>
  item(parentId, message(id, 'user', text));
export const assistant = (id: string, parentId: string | null, text: string) =>
  item(parentId, message(id, 'assistant', text));
