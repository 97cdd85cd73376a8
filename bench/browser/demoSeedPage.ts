// Seeds the demo's IndexedDB database (same origin as the built demo served beside it) with
// conversations of growing history, and a database of many small conversations for the
// useSessions benchmark, in bulk through the store's `importRecords`.
import {
  addEventToTotals,
  DexieSessionStore,
  EventSource,
  EventType,
  emptyTotals,
  type Session,
  type SessionEvent,
} from '@ai-session-manager/core';
import { readStats } from '../../packages/react/src/conversationStats';
import { readLiveWindow } from '../../packages/react/src/conversationWindow';
import { synthesizeChain } from '../lib/chain';

export interface SeededConversation {
  conversationId: string;
  events: number;
  segments: number;
  /** The text of the newest message: its row on screen marks "the newest messages are shown". */
  newest: string;
}

declare global {
  interface Window {
    seedDemo(options: {
      dbName: string;
      sizes: { events: number; segments: number }[];
    }): Promise<SeededConversation[]>;
    seedConversations(options: { dbName: string; conversations: number }): Promise<number>;
    measureReads(options: {
      dbName: string;
      conversationId: string;
      window: number;
      runs: number;
    }): Promise<ReadTimes>;
  }
}

/** Median ms of the reads behind opening a conversation in the demo, each on its own. */
export interface ReadTimes {
  /** The timeline's window (readLiveWindow: head, parents back to the newest N events, their ranges). */
  window: number;
  /** useSessionStats' first read (root and head rows, every segment id for `sessionChain`). */
  stats: number;
  /** Every segment row (getSegments), what stats read before head-carried totals. */
  segments: number;
  /** The sidebar: listConversations(). */
  list: number;
}

async function texts(): Promise<string[]> {
  const { messages } = (await fetch('./data.json').then((r) => r.json())) as { messages: string[] };
  return messages;
}

window.seedDemo = async ({ dbName, sizes }) => {
  const messages = await texts();
  const tokens = messages.map((t) => Math.ceil(t.length / 4));
  const store = new DexieSessionStore({ name: dbName });
  const seeded: SeededConversation[] = [];
  for (const { events, segments } of sizes) {
    const chain = synthesizeChain({ events, segments, texts: messages, tokens, model: 'gpt-4o-mini' });
    chain.sessions[0]!.metadata = { title: `${events.toLocaleString('en-US')} events` };
    const newest = chain.events.at(-1)!.at(-1)!;
    newest.message = `The newest message of ${events} events.`;
    await store.importRecords(chain.sessions, chain.events.flat());
    seeded.push({ conversationId: chain.rootId, events, segments, newest: newest.message as string });
  }
  store.close();
  return seeded;
};

window.seedConversations = async ({ dbName, conversations }) => {
  const store = new DexieSessionStore({ name: dbName });
  let clock = Date.UTC(2025, 0, 1);
  const iso = () => {
    clock += 1000;
    return new Date(clock).toISOString();
  };
  const sessions: Session[] = [];
  const events: SessionEvent[] = [];
  for (let i = 0; i < conversations; i++) {
    const id = crypto.randomUUID();
    const createdAt = iso();
    const message = (seq: number, fromUser: boolean): SessionEvent => ({
      id: crypto.randomUUID(),
      sessionId: id,
      seq,
      timestamp: iso(),
      source: fromUser ? EventSource.USER : EventSource.LLM,
      type: EventType.MESSAGE,
      message: fromUser ? `Question ${i}` : `Answer ${i}`,
      metadata: {},
    });
    const pair = [message(0, true), message(1, false)];
    events.push(...pair);
    sessions.push({
      id,
      parentId: null,
      rootId: id,
      segmentIndex: 0,
      metadata: { title: `Conversation ${i}` },
      state: {},
      createdAt,
      updatedAt: pair[1]!.timestamp,
      totals: pair.reduce(addEventToTotals, emptyTotals()),
    });
  }
  await store.importRecords(sessions, events);
  store.close();
  return conversations;
};

window.measureReads = async ({ dbName, conversationId, window: size, runs }) => {
  const store = new DexieSessionStore({ name: dbName });
  const time = async (fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await fn();
      samples.push(performance.now() - started);
    }
    return samples.sort((a, b) => a - b)[(samples.length - 1) >> 1]!;
  };
  const result = {
    window: await time(() => readLiveWindow(store, conversationId, size, null, [])),
    stats: await time(() => readStats(store, conversationId)),
    segments: await time(() => store.getSegments(conversationId)),
    list: await time(() => store.listConversations()),
  };
  store.close();
  return result;
};
