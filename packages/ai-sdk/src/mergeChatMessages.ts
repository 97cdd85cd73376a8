import type { UIMessage } from 'ai';
import { contentSignature } from './messageUnits.ts';

/**
 * The chat's messages after the store changed (e.g. another tab wrote): the stored list, in
 * stored order, keeping the chat's own object for every message that shows the same thing or
 * that `keepChatCopy` says is this chat's own (its copy is the fuller one), and keeping, after
 * the message it followed, each chat message the store does not have. A stored message the chat
 * once held and then dropped (`droppedByChat`) is left out. Unchanged: the same array.
 */
export function mergeChatMessages<M extends UIMessage>(
  chat: readonly M[],
  stored: readonly M[],
  keepChatCopy: (id: string) => boolean = () => false,
  droppedByChat: (id: string) => boolean = () => false,
): M[] {
  const chatById = new Map(chat.map((m) => [m.id, m]));
  const storedIds = new Set(stored.map((m) => m.id));
  // What the chat let go of (regenerate, an edit) stays out of it, though the store keeps it.
  const kept = stored.filter((s) => chatById.has(s.id) || !droppedByChat(s.id));
  const out = kept.map((s) => {
    const mine = chatById.get(s.id);
    if (!mine || mine.role !== s.role) return s;
    return keepChatCopy(s.id) || contentSignature(mine) === contentSignature(s) ? mine : s;
  });
  chat.forEach((m, i) => {
    if (storedIds.has(m.id)) return;
    const previous = i === 0 ? -1 : out.findIndex((o) => o.id === chat[i - 1]!.id);
    out.splice(previous + 1, 0, m);
  });
  const same = out.length === chat.length && out.every((m, i) => m === chat[i]);
  return same ? (chat as M[]) : out;
}
