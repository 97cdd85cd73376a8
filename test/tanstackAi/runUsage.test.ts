import { describe, expect, it } from 'vitest';
import type { MessageUnit } from '../../packages/tanstack-ai/src/messageUnits';
import { textsCoveredBefore } from '../../packages/tanstack-ai/src/runUsage';

// A reply of text, tool call, text: which earlier texts a provider usage already covers.
const text = (key: string, value: string): MessageUnit => ({
  kind: 'text',
  key,
  text: value,
  complete: true,
});
const units: MessageUnit[] = [
  text('text-0', 'Let me compute that.'),
  {
    kind: 'tool',
    key: 'tool:call-1',
    name: 'calculator',
    toolCallId: 'call-1',
    input: {},
    output: 42,
    error: null,
    complete: true,
    chatParts: [],
  },
  text('text-1', ' It is 42.'),
];

describe('tanstack-ai: a run billed once', () => {
  it('a run that streamed both texts (a server-side tool) covers the first one', () => {
    expect(textsCoveredBefore(units, 'text-1', 'Let me compute that. It is 42.'.length)).toEqual(['text-0']);
  });

  it('a run that streamed only the last text (a client tool, a second request) covers nothing before it', () => {
    expect(textsCoveredBefore(units, 'text-1', ' It is 42.'.length)).toEqual([]);
  });

  it("the message's own usage covers every text before the last", () => {
    expect(textsCoveredBefore(units, 'text-1')).toEqual(['text-0']);
    expect(textsCoveredBefore(units, 'text-0')).toEqual([]);
    expect(textsCoveredBefore(units, 'missing')).toEqual([]);
  });
});
