import {
  type AppendOptions,
  type AppendResult,
  type EventDraft,
  EventSource,
  EventType,
  MemorySessionStore,
  SessionManager,
  SessionManagerError,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';

/** Another writer that fills every new segment before us, `times` times (as busy tabs can). */
class CrowdedStore extends MemorySessionStore {
  fillers = 0;
  constructor(private readonly times: number) {
    super();
  }

  override async appendEvent(
    sessionId: string,
    draft: EventDraft,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const head = await this.getHead((await this.getSession(sessionId))!.rootId);
    if (
      options.rolloverAt &&
      this.fillers < this.times &&
      head!.totals.messages === 0 &&
      head!.segmentIndex > 0
    ) {
      this.fillers++;
      await super.appendEvent(sessionId, {
        id: `filler-${this.fillers}`,
        timestamp: new Date().toISOString(),
        source: EventSource.USER,
        type: EventType.MESSAGE,
        message: `filler ${this.fillers}`,
        metadata: {},
      });
    }
    return super.appendEvent(sessionId, draft, options);
  }
}

describe('recording while other writers keep filling new segments', () => {
  it('waits its turn however often it loses the race, and never turns the event away', async () => {
    // 25 lost races in a row: the old bound of 10 attempts threw here.
    const store = new CrowdedStore(25);
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 1 });
    await sm.userSays('first');
    await sm.userSays('second');
    expect(store.fillers).toBe(25);
    const segments = await store.getSegments(sm.conversationId);
    expect(segments).toHaveLength(27);
    const last = await store.getEvents(segments.at(-1)!.id);
    expect(last.map((e) => e.message)).toEqual(['second']);
  });

  it('throws instead of looping when a store refuses a head that is not full', async () => {
    class BrokenStore extends MemorySessionStore {
      override async appendEvent(sessionId: string, draft: EventDraft, options: AppendOptions = {}) {
        const result = await super.appendEvent(sessionId, draft, {});
        if (!options.rolloverAt || result.status !== 'appended') return result;
        return { status: 'needsRollover' as const, head: result.head };
      }
    }
    const sm = new SessionManager({ store: new BrokenStore(), infiniteContext: true, maxTurnsPerSegment: 5 });
    await expect(sm.userSays('hello')).rejects.toThrow(SessionManagerError);
    await expect(sm.userSays('hello')).rejects.toThrow(/refused the event for segment 0, which is not full/);
  });

  it('throws instead of looping when a store refuses again without rolling over', async () => {
    class StuckStore extends MemorySessionStore {
      override async rollover(request: Parameters<MemorySessionStore['rollover']>[0]) {
        return { rolledOver: false, head: (await this.getSession(request.fromSessionId))! };
      }
    }
    const store = new StuckStore();
    const sm = new SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 1 });
    await sm.userSays('first');
    await expect(sm.userSays('second')).rejects.toThrow(/already rolled over/);
    expect(await store.getSegments(sm.conversationId)).toHaveLength(1);
  });
});
