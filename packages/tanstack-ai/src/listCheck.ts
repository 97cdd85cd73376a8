// What setItem checks before anything is written: a bad list writes nothing. ChatClient hands
// the whole list on every change (every streamed delta) and reuses the objects of unchanged
// messages, so a thread's check keeps the last list it accepted and looks only at what changed:
// a pointer comparison per message, not a deep check and an id set of the whole thread.
import { InvalidInputError } from '@ai-session-manager/core';
import type { ChatPersistedState } from '@tanstack/ai-client';

const ROLES = new Set(['user', 'assistant', 'system']);

/** One thread's last accepted list, and the ids in it. */
export class MessageListCheck {
  private last: readonly unknown[] = [];
  private readonly ids = new Set<string>();

  /** Throws InvalidInputError naming the path when `state` is not `{ messages: UIMessage[], resume? }` with unique ids. */
  check(state: unknown): asserts state is ChatPersistedState {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new InvalidInputError(
        'sessionPersistence.setItem: state must be an object { messages, resume? }',
        'state',
      );
    }
    const { messages, resume } = state as Record<string, unknown>;
    if (!Array.isArray(messages)) {
      throw new InvalidInputError(
        'sessionPersistence.setItem: state.messages must be an array of UIMessages',
        'messages',
      );
    }
    if (resume !== undefined && (typeof resume !== 'object' || resume === null)) {
      throw new InvalidInputError(
        'sessionPersistence.setItem: state.resume must be an object when present',
        'resume',
      );
    }
    const previous = this.last;
    let same = 0;
    while (same < messages.length && same < previous.length && messages[same] === previous[same]) same++;
    // The unchanged prefix was checked and its ids are unique; the rest is checked now, against
    // the prefix's ids and each other. On a failure the id set is put back as it was.
    const dropped = previous.slice(same).map((m) => (m as { id: string }).id);
    for (const id of dropped) this.ids.delete(id);
    const added: string[] = [];
    try {
      for (let i = same; i < messages.length; i++) {
        const path = `messages[${i}]`;
        assertMessage(messages[i], path);
        const { id } = messages[i] as { id: string };
        if (this.ids.has(id)) {
          throw new InvalidInputError(
            `sessionPersistence.setItem: ${path}.id "${id}" appears twice`,
            `${path}.id`,
          );
        }
        this.ids.add(id);
        added.push(id);
      }
    } catch (error) {
      for (const id of added) this.ids.delete(id);
      for (const id of dropped) this.ids.add(id);
      throw error;
    }
    // ChatClient hands a new array on every change and never mutates one it handed over (the
    // recorder keeps the same reference), so there is nothing to copy.
    this.last = messages;
  }
}

/** One UIMessage's shape: an id, a known role, parts with a type (text parts with text). */
function assertMessage(message: unknown, path: string): void {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidInputError(`sessionPersistence.setItem: ${path} must be a UIMessage object`, path);
  }
  const { id, role, parts } = message as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') {
    throw new InvalidInputError(
      `sessionPersistence.setItem: ${path}.id must be a non-empty string`,
      `${path}.id`,
    );
  }
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw new InvalidInputError(
      `sessionPersistence.setItem: ${path}.role must be 'user', 'assistant' or 'system'`,
      `${path}.role`,
    );
  }
  if (!Array.isArray(parts)) {
    throw new InvalidInputError(
      `sessionPersistence.setItem: ${path}.parts must be an array`,
      `${path}.parts`,
    );
  }
  parts.forEach((part: unknown, j) => {
    if (typeof part !== 'object' || part === null || typeof (part as { type?: unknown }).type !== 'string') {
      throw new InvalidInputError(
        `sessionPersistence.setItem: ${path}.parts[${j}] must be a part object with a type`,
        `${path}.parts[${j}]`,
      );
    }
    const { type, content } = part as { type: string; content?: unknown };
    if (type === 'text' && typeof content !== 'string') {
      throw new InvalidInputError(
        `sessionPersistence.setItem: ${path}.parts[${j}].content must be a string`,
        `${path}.parts[${j}].content`,
      );
    }
  });
}
