import {
  type ConversationDocument,
  exportConversation,
  MemorySessionStore,
  SessionManager,
} from '@ai-session-manager/core';

/**
 * A long conversation recorded by core itself (in memory, in Node), as an export document:
 * `messages` messages in segments of `perSegment`, with a calculator call every tenth turn.
 */
export async function bigConversation(messages: number, perSegment: number): Promise<ConversationDocument> {
  const store = new MemorySessionStore();
  const sm = new SessionManager({
    store,
    infiniteContext: true,
    tokenThreshold: 1_000_000_000,
    maxTurnsPerSegment: perSegment,
    defaultModel: 'gpt-4o-mini',
    metadata: { title: `A long conversation (${messages} messages)` },
  });
  for (let turn = 0; turn < messages / 2; turn++) {
    await sm.userSays(`Question ${turn + 1}: what is ${turn} + ${turn * 2}?`);
    if (turn % 10 === 0) {
      await sm.toolUsed('calculator', { expression: `${turn} + ${turn * 2}` }, { value: turn * 3 });
    }
    await sm.aiResponds(`Answer ${turn + 1}: ${turn} + ${turn * 2} = ${turn * 3}.`, { model: 'gpt-4o-mini' });
  }
  return exportConversation(sm.conversationId, { store });
}
