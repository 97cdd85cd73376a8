// The incremental check behind sessionPersistence.setItem: only messages whose objects changed
// since the last accepted list are checked again, yet every bad list is still refused whole.
import { InvalidInputError } from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { MessageListCheck } from '../../packages/tanstack-ai/src/listCheck';

const message = (id: string, role = 'user', content = `text of ${id}`) => ({
  id,
  role,
  parts: [{ type: 'text', content }],
});

function pathOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).path;
  }
  return undefined;
}

describe('MessageListCheck', () => {
  it('accepts lists that grow and change at the end, as ChatClient hands them while streaming', () => {
    const check: MessageListCheck = new MessageListCheck();
    const history = Array.from({ length: 100 }, (_, i) => message(`m${i}`, i % 2 ? 'assistant' : 'user'));
    check.check({ messages: history });
    for (let n = 1; n <= 5; n++) {
      check.check({ messages: [...history, message('reply', 'assistant', 'word '.repeat(n))] });
    }
    // reload(): the reply is dropped and a new one grows under a reused id.
    check.check({ messages: history });
    check.check({ messages: [...history, message('reply', 'assistant', 'again')] });
  });

  it('finds a duplicate id between a new message and an unchanged one', () => {
    const check: MessageListCheck = new MessageListCheck();
    const history = [message('a'), message('b', 'assistant'), message('c')];
    check.check({ messages: history });
    expect(pathOf(() => check.check({ messages: [...history, message('b', 'assistant')] }))).toBe(
      'messages[3].id',
    );
    expect(pathOf(() => check.check({ messages: [...history, message('d'), message('d')] }))).toBe(
      'messages[4].id',
    );
  });

  it('checks a changed message in the middle, and a refused list leaves the last accepted one in force', () => {
    const check: MessageListCheck = new MessageListCheck();
    const history = [message('a'), message('b', 'assistant'), message('c')];
    check.check({ messages: history });
    const broken = { id: 'b', role: 'assistant', parts: [{ type: 'text', content: 42 }] };
    expect(pathOf(() => check.check({ messages: [history[0], broken, history[2]] }))).toBe(
      'messages[1].parts[0].content',
    );
    // The refusal changed nothing: the same list, and one more message, are accepted; a
    // duplicate of an id from the accepted list is still found.
    check.check({ messages: history });
    check.check({ messages: [...history, message('d')] });
    expect(pathOf(() => check.check({ messages: [...history, message('d'), message('a')] }))).toBe(
      'messages[4].id',
    );
  });

  it('refuses what is not a state of UIMessages, naming the path', () => {
    const check: MessageListCheck = new MessageListCheck();
    expect(pathOf(() => check.check(null))).toBe('state');
    expect(pathOf(() => check.check({ messages: 'no' }))).toBe('messages');
    expect(pathOf(() => check.check({ messages: [{ id: '', role: 'user', parts: [] }] }))).toBe(
      'messages[0].id',
    );
    expect(pathOf(() => check.check({ messages: [{ id: 'x', role: 'robot', parts: [] }] }))).toBe(
      'messages[0].role',
    );
    expect(pathOf(() => check.check({ messages: [], resume: 5 }))).toBe('resume');
  });
});
