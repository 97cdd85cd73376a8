// Streamed replies in Chromium (on-disk IndexedDB): what `append` costs on the page, how often
// a 2,000-token reply streamed at 50 deltas/s writes, and what one flush costs against a bare
// Dexie put of the same row. Driven by bench/streaming.mjs.
import { DexieSessionStore, SessionManager } from '@ai-session-manager/core';
import { Dexie } from 'dexie';
import { median, p95 } from '../lib/stats';

const words = 'the quick brown fox jumps over a lazy dog while streaming tokens into storage'.split(' ');
/** About one token per delta: a word and its space. */
const delta = (i: number) => `${words[i % words.length]} `;

async function fresh(name: string) {
  const store = new DexieSessionStore({ name });
  await store.destroy();
  const again = new DexieSessionStore({ name });
  const sm = new SessionManager({ store: again });
  await sm.userSays('Write a long answer.');
  return { store: again, sm };
}

async function appendCost() {
  const { store, sm } = await fresh('bench-stream-append');
  // flushMs far away: this measures the call itself, not the writes it schedules.
  const reply = await sm.beginResponse({ flushMs: 600_000 });
  const perCall: number[] = [];
  for (let batch = 0; batch < 200; batch++) {
    const started = performance.now();
    for (let i = 0; i < 1000; i++) reply.append(delta(i));
    perCall.push(((performance.now() - started) / 1000) * 1e6); // ns per call
  }
  await reply.finish();
  store.close();
  return { median: median(perCall), p95: p95(perCall), calls: 200_000 };
}

async function writeRate(tokens: number, deltasPerSecond: number) {
  const { store, sm } = await fresh('bench-stream-rate');
  let writes = 0;
  let bytes = 0;
  const update = store.updateEvent.bind(store);
  store.updateEvent = (id, patch, options) => {
    writes += 1;
    bytes += JSON.stringify(patch).length;
    return update(id, patch, options);
  };
  const reply = await sm.beginResponse();
  const started = performance.now();
  const interval = 1000 / deltasPerSecond;
  for (let i = 0; i < tokens; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    reply.append(delta(i));
  }
  const streamedWrites = writes;
  const seconds = (performance.now() - started) / 1000;
  const event = await reply.finish();
  store.close();
  return {
    seconds,
    writes: writes,
    streamedWrites,
    perSecond: streamedWrites / seconds,
    bytesPerWrite: bytes / writes,
    completionTokens: event.tokenUsage!.completionTokens,
  };
}

async function flushVsPut(iterations: number) {
  const { store, sm } = await fresh('bench-stream-flush');
  const reply = await sm.beginResponse({ flushMs: 600_000 });
  for (let i = 0; i < 1000; i++) reply.append(delta(i));
  await reply.flush();
  const bare = new Dexie('bench-stream-bare');
  await bare.delete();
  const db = new Dexie('bench-stream-bare');
  db.version(1).stores({ events: 'id' });
  const row = (await store.db.events.get(reply.eventId))!;
  await db.table('events').put(row);
  const flushes: number[] = [];
  const puts: number[] = [];
  for (let i = 0; i < iterations; i++) {
    reply.append(delta(i));
    let t = performance.now();
    await reply.flush();
    flushes.push(performance.now() - t);
    const copy = { ...row, message: reply.text };
    t = performance.now();
    await db.transaction('rw', 'events', () => db.table('events').put(copy));
    puts.push(performance.now() - t);
  }
  await reply.finish();
  store.close();
  db.close();
  const ratios = flushes.map((f, i) => f / puts[i]!);
  return {
    flush: { median: median(flushes), p95: p95(flushes) },
    put: { median: median(puts), p95: p95(puts) },
    ratio: median(ratios),
    textChars: reply.text.length,
  };
}

(window as unknown as { streamingBench: unknown }).streamingBench = { appendCost, writeRate, flushVsPut };
