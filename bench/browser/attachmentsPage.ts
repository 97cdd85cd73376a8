// Attachments in Chromium (on-disk IndexedDB, issue 22): a reply streamed into a conversation whose
// user message holds a ~2 MB image against one without it (paired, same run), what one image shared
// by 1, 10 and 50 messages costs in storage, and reading a window of events that hold images.
// Driven by bench/attachments.mjs. Returns ResultRow objects (bench/lib/stats.ts).
import { DexieSessionStore, type MessagePart, SessionManager } from '@ai-session-manager/core';
import { median, p95, pairedRatio, type ResultRow } from '../lib/stats';

const TEXT = 'What is in this picture? Describe it in detail.';
/** Noise does not compress: Chromium's PNG of SIDE² opaque noise pixels takes ~3.44 bytes per pixel, ~2.0 MB. */
const SIDE = 762;
const DELTAS = 400;
const FLUSH_EVERY = 10;
const BENCH = '8 attachments';
const words = 'the quick brown fox jumps over a lazy dog while streaming tokens into storage'.split(' ');
const delta = (i: number) => `${words[i % words.length]} `;
const fmt = (n: number) => n.toLocaleString('en-US');
/** What every row shares; p95 is "not applicable" (–) unless a row has samples. */
const ROW = { bench: BENCH, env: 'chromium', p95: Number.NaN, baselineP95: Number.NaN } as const;

let noise: ImageData | undefined;
/** A PNG of seeded noise (OffscreenCanvas → convertToBlob); `variant` sets one pixel, so each variant has its own bytes. */
async function image(variant: number): Promise<{ url: string; bytes: number }> {
  if (!noise) {
    noise = new ImageData(SIDE, SIDE);
    const pixels = new Uint32Array(noise.data.buffer);
    let x = 0x9e3779b9;
    for (let i = 0; i < pixels.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      pixels[i] = (x | 0xff000000) >>> 0; // little-endian: the top byte is alpha, opaque
    }
  }
  noise.data[0] = variant & 0xff;
  noise.data[1] = (variant >> 8) & 0xff;
  const canvas = new OffscreenCanvas(SIDE, SIDE);
  canvas.getContext('2d')!.putImageData(noise, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
  return { url, bytes: blob.size };
}

const withImage = (url: string): MessagePart[] => [
  { type: 'text', text: TEXT },
  { type: 'file', mediaType: 'image/png', url },
];
const textOnly: MessagePart[] = [{ type: 'text', text: TEXT }];

async function fresh(name: string): Promise<DexieSessionStore> {
  await new DexieSessionStore({ name }).destroy();
  return new DexieSessionStore({ name });
}

/** What the attachments tables hold: files, bytes and references, as one comparable string. */
async function filesState(store: DexieSessionStore): Promise<string> {
  const { count, bytes } = await store.attachmentUsage();
  return `${count}/${bytes}/${await store.db.attachmentRoots.count()}`;
}

/** A row of `subject` (samples a) against `baseline` (samples b), paired: ratio = median of a[i] / b[i]. */
function pairedRow(
  subject: string,
  a: number[],
  b: number[],
  baseline = 'same, user message without the image',
): ResultRow {
  return {
    ...ROW,
    subject,
    unit: 'ms',
    median: median(a),
    p95: p95(a),
    baseline,
    baselineMedian: median(b),
    baselineP95: p95(b),
    ratio: pairedRatio(a, b),
  };
}

/** One reply of DELTAS deltas, flushed every FLUSH_EVERY deltas (flushMs far away: the flushes are ours), then finished. */
async function streamReply(sm: SessionManager): Promise<{ total: number; flushes: number[] }> {
  const started = performance.now();
  const reply = await sm.beginResponse({ flushMs: 600_000 });
  const flushes: number[] = [];
  for (let i = 0; i < DELTAS; i++) {
    reply.append(delta(i));
    if ((i + 1) % FLUSH_EVERY !== 0) continue;
    const t = performance.now();
    await reply.flush();
    flushes.push(performance.now() - t);
  }
  await reply.finish();
  return { total: performance.now() - started, flushes };
}

/**
 * a. Per round, A: userSays with a fresh image (its own bytes) and a reply; B: the same text
 * without it and a reply; A/B order alternates. `together`: both user messages are written before
 * either reply streams (the image is in the conversation); otherwise each reply streams right
 * after its own userSays (the image was just stored, as when a user sends one).
 */
async function streaming(o: { rounds: number; warmup: number; together: boolean }): Promise<ResultRow[]> {
  const store = await fresh(`bench-attach-stream-${o.together}`);
  const side = () => ({ totals: [] as number[], flushes: [] as number[] });
  const [A, B] = [side(), side()];
  let [changed, streams, bytes] = [0, 0, 0];
  for (let r = 0; r < o.warmup + o.rounds; r++) {
    const img = await image(r + 1);
    bytes = img.bytes;
    const order = r % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const);
    const managers = { A: new SessionManager({ store }), B: new SessionManager({ store }) };
    const ask = (which: 'A' | 'B') =>
      managers[which].userSays(TEXT, undefined, { parts: which === 'A' ? withImage(img.url) : textOnly });
    if (o.together) for (const which of order) await ask(which);
    for (const which of order) {
      if (!o.together) await ask(which);
      const before = await filesState(store);
      const s = await streamReply(managers[which]);
      if ((await filesState(store)) !== before) changed += 1;
      streams += 1;
      if (r < o.warmup) continue;
      const into = which === 'A' ? A : B;
      into.totals.push(s.total);
      into.flushes.push(...s.flushes);
    }
  }
  const usage = await store.attachmentUsage();
  store.close();
  const when = o.together ? 'both user messages written first' : 'each reply right after its userSays';
  const paired = `${o.rounds} rounds after ${o.warmup} warm-up, A/B order alternating; paired, median of ratios`;
  const row = (subject: string, a: number[], b: number[], note: string): ResultRow => {
    const r = pairedRow(`${subject} (${when})`, a, b);
    return { ...r, target: '≤ 1.05×', met: r.ratio! <= 1.05, note: `${note}; ${paired}` };
  };
  const flushes = `${fmt(A.flushes.length)} flushes per side, paired flush by flush (same round and index)`;
  const changes = `attachments tables changed during ${changed} of ${streams} streams (${usage.count} files stored, by userSays)`;
  return [
    row(`reply.flush() after a user message with a ${fmt(bytes)} B PNG`, A.flushes, B.flushes, flushes),
    row(
      `whole reply: beginResponse, ${DELTAS} deltas, ${DELTAS / FLUSH_EVERY} flushes, finish`,
      A.totals,
      B.totals,
      `flushMs far away, a flush every ${FLUSH_EVERY} deltas; ${changes}`,
    ),
  ];
}

/** navigator.storage.estimate().usage once two readings 100 ms apart agree (at most 2 s). */
async function settledUsage(): Promise<number> {
  let last = Number.NaN;
  for (let i = 0; i < 20; i++) {
    const usage = (await navigator.storage.estimate()).usage ?? Number.NaN;
    if (usage === last) break;
    last = usage;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

/**
 * b. One image in n messages over 2 conversations, each n (and its text-only baseline) in a new
 * database, none deleted meanwhile (a deletion frees its space later): attachment usage, origin
 * usage growth, row sizes. Runs first, in the empty profile.
 */
async function storage(): Promise<ResultRow[]> {
  const img = await image(0);
  const rows: ResultRow[] = [];
  let once = Number.NaN;
  for (const n of [1, 10, 50]) {
    const grown = { image: 0, text: 0 };
    const rowChars = { image: 0, text: 0 };
    let files = { count: 0, bytes: 0 };
    for (const kind of ['image', 'text'] as const) {
      const store = await fresh(`bench-attach-storage-${n}-${kind}`);
      const before = await settledUsage();
      const managers = [new SessionManager({ store }), new SessionManager({ store })];
      const parts = kind === 'image' ? withImage(img.url) : textOnly;
      for (let i = 0; i < n; i++) await managers[i % 2]!.userSays(TEXT, undefined, { parts });
      grown[kind] = (await settledUsage()) - before;
      if (kind === 'image') files = await store.attachmentUsage();
      rowChars[kind] = JSON.stringify((await store.db.events.toArray())[0]).length;
      store.close();
    }
    if (n === 1) once = grown.image;
    if (n === 1)
      rows.push({
        ...ROW,
        subject: 'raw db.events row of the user message with the image (JSON length)',
        unit: 'chars',
        median: rowChars.image,
        baseline: 'same message without it',
        baselineMedian: rowChars.text,
        ratio: rowChars.image / rowChars.text,
        note: `the part keeps an attachment:sha256-… reference; inline, its data URL alone is ${fmt(img.url.length)} chars`,
      });
    rows.push({
      ...ROW,
      subject: `one ${fmt(img.bytes)} B PNG in ${n} message${n > 1 ? 's' : ''} (${n > 1 ? '2 conversations' : '1 conversation'}): navigator.storage.estimate() usage growth`,
      unit: 'MB',
      median: grown.image / 1e6,
      baseline: 'same messages without the image',
      baselineMedian: grown.text / 1e6,
      ratio: grown.image / once,
      note: `ratio = growth / growth with 1 message; growth = ${(grown.image / img.bytes).toFixed(2)}× the image's bytes, ${((grown.image - grown.text) / img.bytes).toFixed(2)}× net of the text-only growth; attachmentUsage() = ${files.count} file, ${fmt(files.bytes)} B; usage read once 2 readings 100 ms apart agree`,
    });
  }
  return rows;
}

/** c. getEvents over 20 events, 5 holding distinct images, vs the same 20 without: first read in a new store instance, then again. */
async function readWindow({ rounds }: { rounds: number }): Promise<ResultRow[]> {
  const name = 'bench-attach-read';
  const store = await fresh(name);
  const ids: Record<'images' | 'plain', string> = { images: '', plain: '' };
  for (const kind of ['images', 'plain'] as const) {
    const sm = new SessionManager({ store });
    for (let i = 0; i < 10; i++) {
      const parts = kind === 'images' && i % 2 === 0 ? withImage((await image(1000 + i)).url) : textOnly;
      await sm.userSays(TEXT, undefined, { parts });
      await sm.aiResponds(`Answer ${i}: ${words.join(' ')}`);
    }
    ids[kind] = sm.sessionId;
  }
  store.close();
  const times = () => ({ first: [] as number[], cached: [] as number[] });
  const t = { images: times(), plain: times() };
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 ? (['plain', 'images'] as const) : (['images', 'plain'] as const)) {
      const reader = new DexieSessionStore({ name });
      await reader.db.open();
      let at = performance.now();
      const events = await reader.getEvents(ids[kind]);
      t[kind].first.push(performance.now() - at);
      at = performance.now();
      await reader.getEvents(ids[kind]);
      t[kind].cached.push(performance.now() - at);
      reader.close();
      if (events.length !== 20) throw new Error(`read ${events.length} events, expected 20`);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  observer.disconnect();
  return (['first', 'cached'] as const).map((which) => ({
    ...pairedRow(
      `getEvents: 20 events, 5 with distinct ~2 MB PNGs, ${which === 'first' ? 'first read (new store instance)' : 'read again (data URLs cached)'}`,
      t.images[which],
      t.plain[which],
      'same 20 events without images',
    ),
    note: `${rounds} rounds alternating; paired, median of ratios${which === 'first' ? `; Blobs → data URLs; main-thread tasks > 50 ms during all reads: ${tasks.length}, longest ${Math.max(0, ...tasks).toFixed(0)} ms` : ''}`,
  }));
}

(window as unknown as { attachmentsBench: unknown }).attachmentsBench = { streaming, storage, readWindow };
