import {
  type ChatMessage,
  extractiveSummary,
  MemorySessionStore,
  SessionManager,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';

const FIRST = 'Help me plan a two-week trip to Japan in April, starting in Tokyo.';
const FACT = 'My budget is 3,000 euros and I am vegetarian.';

/** 200 messages in segments of 20 with the built-in summary; the message at turn 3 holds a fact. */
async function longConversation(): Promise<SessionManager> {
  const sm = new SessionManager({
    store: new MemorySessionStore(),
    infiniteContext: true,
    maxTurnsPerSegment: 20,
  });
  for (let turn = 0; turn < 100; turn++) {
    const question =
      turn === 0
        ? FIRST
        : turn === 3
          ? FACT
          : `Question ${turn}: what about day ${turn % 14} of the trip in more detail please?`;
    await sm.userSays(question);
    await sm.aiResponds(
      `Answer ${turn}: here is a fairly long suggestion for that part of the trip, with some details.`,
    );
  }
  return sm;
}

describe('built-in extractive summary', () => {
  it('after 200 messages still holds the first user goal and the key facts, says what it left out, within 4,000 characters', async () => {
    const sm = await longConversation();
    const prompt = await sm.getMessagesForLLM();
    const summary = prompt.find(
      (m) => m.role === 'system' && m.content.startsWith('Summary of the conversation'),
    );
    expect(summary).toBeDefined();
    const text = summary!.content.replace(/^Summary of the conversation so far:\n/, '');
    expect(text.length).toBeLessThanOrEqual(4000);
    expect(text).toContain(`Conversation start:\n- User: ${FIRST}\n- Assistant: Answer 0:`);
    expect(text).toContain(`Key facts from left-out messages:\n- ${FACT}`);
    expect(text).toMatch(/\((\d+) earlier messages are left out of this summary/);
    // The newest messages of the closed segment are there.
    expect(text).toContain('Answer 89:');
    // Folded, never stacked: each label once, and no "Earlier:" chains.
    expect(text.match(/Conversation start:/g)).toHaveLength(1);
    expect(text.match(/Latest messages:/g)).toHaveLength(1);
    expect(text).not.toContain('Earlier:');
  });

  it('says nothing was left out when everything fits', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi!' },
      { role: 'user', content: 'What is 2 + 2?' },
      { role: 'assistant', content: '4' },
    ];
    const first = await extractiveSummary(messages);
    expect(first).toBe(
      'Conversation start:\n- User: Hello\n- Assistant: Hi!\n\nLatest messages:\n- User: What is 2 + 2?\n- Assistant: 4',
    );
    const second = await extractiveSummary([{ role: 'user', content: 'Next' }], first);
    expect(second).toBe(
      'Conversation start:\n- User: Hello\n- Assistant: Hi!\n\nLatest messages:\n- User: What is 2 + 2?\n- Assistant: 4\n- User: Next',
    );
  });

  it('folds a summary written by a callback (or an older built-in one) under one label', async () => {
    const older = 'Earlier:\nLatest part:\n- User: Plan a trip to Rome\n\nLatest part:\n- User: dates?';
    const text = await extractiveSummary([{ role: 'user', content: 'Go on' }], older);
    expect(
      text.startsWith('Conversation start:\n- Earlier summary: Latest part: - User: Plan a trip to Rome'),
    ).toBe(true);
    expect(await extractiveSummary([{ role: 'user', content: 'More' }], text)).not.toMatch(
      /Earlier summary:.*Earlier summary:/s,
    );
  });
});
