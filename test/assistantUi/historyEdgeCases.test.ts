import {
  createThreadHistoryAdapter,
  type SessionThreadHistoryAdapter,
} from '@ai-session-manager/assistant-ui';
import { MemorySessionStore, SessionManager } from '@ai-session-manager/core';
import type { ThreadMessage } from '@assistant-ui/react';
import { describe, expect, it } from 'vitest';
import { user } from './messages';

/** What a message shows: its role, text parts, and each tool call as `[name]`. */
const look = (m: ThreadMessage) =>
  `${m.role}: ${m.content
    .map((p) => (p.type === 'text' ? p.text : p.type === 'tool-call' ? `[${p.toolName}]` : ''))
    .filter(Boolean)
    .join(' ')}`;

/** The selected branch of a loaded thread, first message first. */
async function branch(adapter: SessionThreadHistoryAdapter) {
  const repo = await adapter.load();
  const byId = new Map(repo.messages.map((m) => [m.message.id, m]));
  const path: ThreadMessage[] = [];
  for (let at = repo.headId; at; at = byId.get(at)?.parentId ?? null) path.unshift(byId.get(at)!.message);
  return path;
}

describe('a thread written by core directly', () => {
  it('loads with its tool calls on the reply that used them, across summarized segments', async () => {
    const store = new MemorySessionStore();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    await sm.userSays('What is the weather in Paris?');
    await sm.toolUsed('weather', { city: 'Paris' }, { temp: 20 }, { toolCallId: 'call-1' });
    await sm.aiResponds('It is 20 degrees.');
    await sm.userSays('And in Rome?');
    await sm.aiResponds('Sunny.');
    await sm.userSays('Thanks');
    await sm.aiResponds('You are welcome.');
    expect((await sm.getSessionChain()).length).toBeGreaterThan(1);

    const adapter = createThreadHistoryAdapter({ store, conversationId: sm.conversationId });
    expect((await branch(adapter)).map(look)).toEqual([
      'user: What is the weather in Paris?',
      'assistant: It is 20 degrees. [weather]',
      'user: And in Rome?',
      'assistant: Sunny.',
      'user: Thanks',
      'assistant: You are welcome.',
    ]);
    const reply = (await branch(adapter))[1]!;
    expect(reply.content.find((p) => p.type === 'tool-call')).toMatchObject({
      toolCallId: 'call-1',
      args: { city: 'Paris' },
      result: { temp: 20 },
    });
    // The thread goes on from where core left it.
    const last = (await branch(adapter)).at(-1)!.id;
    await adapter.append(user('u-next', last, 'One more thing'));
    expect((await branch(adapter)).map(look).at(-1)).toBe('user: One more thing');
  });
});
