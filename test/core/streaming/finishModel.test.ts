import {
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  UNKNOWN_MODEL,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';

// A stream often names its model only in its last chunk: finish({ model }) records that one.
describe('the model of a streamed reply', () => {
  it('begun with no model it is unknown and unpriced; finish({ model }) records, counts and prices the named one', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    const unnamed = await sm.beginResponse();
    unnamed.append('Hello there.');
    const first = await unnamed.finish();
    expect(first.tokenUsage).toMatchObject({
      model: UNKNOWN_MODEL,
      source: 'estimated',
      estimatedCostUsd: null,
    });
    expect(first.metadata.model).toBe(UNKNOWN_MODEL);

    const named = await sm.beginResponse();
    named.append('Hello again.');
    const second = await named.finish({ model: 'gpt-4o' });
    expect(second.tokenUsage).toMatchObject({ model: 'gpt-4o', source: 'counted' });
    expect(second.tokenUsage!.estimatedCostUsd).toBeGreaterThan(0);
    expect(second.metadata.model).toBe('gpt-4o');
    const stats = await sm.getStats();
    expect(stats.unpricedTokens).toBe(first.tokenUsage!.totalTokens);
    expect(stats.estimatedCost).toBe(second.tokenUsage!.estimatedCostUsd);
  });

  it('an empty or non-string model is an InvalidInputError and the reply stays streaming', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    const reply = await sm.beginResponse({ model: 'gpt-4o-mini' });
    reply.append('partial');
    await expect(reply.finish({ model: '' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(reply.finish({ model: 42 as unknown as string })).rejects.toBeInstanceOf(InvalidInputError);
    expect(reply.status).toBe('streaming');
    const done = await reply.finish();
    expect(done.tokenUsage?.model).toBe('gpt-4o-mini');
  });
});
