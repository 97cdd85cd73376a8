// Issue 22: what TanStack AI's own ai-client tests found different from its built-in persistence,
// each read back through getItem (and a ChatClient) as the built-in adapters would give it.
import { sessionPersistence } from '@ai-session-manager/tanstack-ai';
import type { UIMessage } from '@tanstack/ai-client';
import { describe, expect, it } from 'vitest';
import { newStore } from './harness';

const user = (id: string, content: string): UIMessage => ({
  id,
  role: 'user',
  parts: [{ type: 'text', content }],
});

/** A persistence whose onError calls are collected. */
function persistenceWithErrors() {
  const errors: unknown[] = [];
  const persistence = sessionPersistence({ store: newStore(), onError: (error) => errors.push(error) });
  return { persistence, errors };
}

describe('sessionPersistence reads back what TanStack persistence would (issue 22)', () => {
  it('drops an invalid createdAt, and gives none to a message saved without one', async () => {
    const { persistence } = persistenceWithErrors();
    const at = new Date('2026-03-04T05:06:07.000Z');
    const messages: UIMessage[] = [
      { ...user('u1', 'no date') },
      { ...user('u2', 'invalid Date'), createdAt: new Date('not a date') },
      // What JSON storage or a hand-made list can hold, outside the type.
      { ...user('u3', 'invalid text'), createdAt: 'not a date' as unknown as Date },
      { ...user('u4', 'dated'), createdAt: at },
    ];
    persistence.setItem('t-dates', { messages });
    const read = (await persistence.getItem('t-dates'))!.messages;
    expect(read.map((m) => 'createdAt' in m)).toEqual([false, false, false, true]);
    expect(read[3]!.createdAt).toStrictEqual(at);
  });
});
