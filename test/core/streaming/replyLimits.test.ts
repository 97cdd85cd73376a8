// The edges of a streamed reply: timing options a timer can hold, a reply that stops receiving
// deltas (idle) lets its lease run out, and bad finish/abort options leave it streaming.
import {
  InvalidInputError,
  MemorySessionStore,
  SessionAwareToolProcessor,
  SessionManager,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';

const MAX_TIMER_MS = 2 ** 31 - 1;

describe('timing options are bounded by what a timer can hold', () => {
  it('beginResponse and resumeResponse refuse timing options past 2^31-1 ms, naming them', async () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    await sm.userSays('Hi');
    for (const option of ['flushMs', 'leaseMs'] as const) {
      for (const value of [2 ** 40, MAX_TIMER_MS + 1, 0, -5, 1.5, Number.NaN, '100']) {
        const error = await sm.beginResponse({ [option]: value } as never).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        expect(error).toMatchObject({ path: option });
        expect((error as Error).message).toContain(option);
        expect((error as Error).message).toContain(String(MAX_TIMER_MS));
      }
      await expect(sm.resumeResponse('any', { [option]: 2 ** 40 })).rejects.toMatchObject({ path: option });
    }
    expect((await sm.getStats()).totalEvents).toBe(1);
    const reply = await sm.beginResponse({ flushMs: MAX_TIMER_MS, leaseMs: MAX_TIMER_MS });
    await reply.finish();
  });

  it('the tool processor refuses a retryDelayMs a timer cannot hold', () => {
    const sm = new SessionManager({ store: new MemorySessionStore() });
    expect(() => new SessionAwareToolProcessor({ manager: sm, tools: {}, retryDelayMs: 2 ** 40 })).toThrow(
      /retryDelayMs.*2147483647/,
    );
    expect(
      () => new SessionAwareToolProcessor({ manager: sm, tools: {}, retryDelayMs: MAX_TIMER_MS }),
    ).not.toThrow();
  });
});
