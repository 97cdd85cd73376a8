// Many tabs writing the conversation's own rows (metadata, runs, branch selection, the system
// prompt) while others append and roll over, in real Chromium over one IndexedDB database.
// Every row write is a patch computed in its transaction (issue 20), so nothing another tab
// wrote is lost, and no selection lands on a segment that was closed meanwhile.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import {
  type LibraryServer,
  type LibraryWindow,
  openLibraryPage,
  startLibraryServer,
} from './support/libraryPage';

let server: LibraryServer | undefined;
let browser: Browser | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startLibraryServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type RowKind = 'user' | 'reply' | 'meta' | 'run' | 'select' | 'prompt';

/** mulberry32, seeded per tab, so every run writes the same plan. */
function planFor(tab: number, steps: number): RowKind[] {
  let a = (0x0ddba11 + tab) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const kinds: RowKind[] = ['user', 'reply', 'meta', 'run', 'select', 'prompt'];
  return Array.from({ length: steps }, () => kinds[Math.floor(next() * kinds.length)]!);
}

describe('many tabs writing metadata, runs and branch selection (Chromium, IndexedDB)', () => {
  it('4 tabs × 40 steps with rollovers: no metadata key, run or message lost; no selection on a closed segment', async () => {
    const tabs = 4;
    const steps = 40;
    const dbName = 'many-tabs-rows';
    const conversationId = 'many-tabs-rows';
    const context = await browser!.newContext();
    context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(error.message)));
    const pages = [];
    for (let tab = 0; tab < tabs; tab++) {
      const page = await context.newPage();
      await openLibraryPage(page, server!.url);
      pages.push(page);
    }
    const results = await Promise.all(
      pages.map((page, tab) =>
        page.evaluate(
          async ({ tab, plan, conversationId, dbName }) => {
            const { DexieSessionStore, SessionManager } = (window as unknown as LibraryWindow).asm;
            const store = new DexieSessionStore({ name: dbName });
            const sm = new SessionManager({
              store,
              sessionId: conversationId,
              defaultModel: 'gpt-4o-mini',
              infiniteContext: true,
              maxTurnsPerSegment: 6,
              tokenThreshold: 1_000_000_000,
            });
            const failures: string[] = [];
            const runs: string[] = [];
            const keys: string[] = [];
            let refusedSelections = 0;
            for (let n = 0; n < plan.length; n++) {
              const kind = plan[n]!;
              try {
                if (kind === 'user') await sm.userSays(`[tab${tab}#${n}]`, { tab, n });
                else if (kind === 'reply') await sm.aiResponds(`[tab${tab}#${n}] ok`, { tab, n });
                else if (kind === 'meta') {
                  const key = `tab${tab}_${n}`;
                  await sm.updateMetadata({ [key]: n });
                  keys.push(key);
                } else if (kind === 'run') {
                  const run = await sm.startRun({ tab, n });
                  await sm.userSays(`[tab${tab}#${n}] in a run`, { tab, n });
                  await run.complete();
                  runs.push(run.id);
                } else if (kind === 'prompt') await sm.updateSystemPrompt(`prompt of tab${tab}#${n}`);
                else {
                  // Select an older version of the newest reply in the head, if it has one.
                  const events = await sm.getEvents({ includeAllSegments: false });
                  const reply = events.filter((e) => e.source === 'llm' && e.type === 'message').at(-1);
                  if (!reply) continue;
                  const regenerated = await sm.regenerate(reply.id, { metadata: { tab, n } });
                  regenerated.append(`[tab${tab}#${n}] again`);
                  await regenerated.finish();
                  try {
                    await sm.selectAlternative(reply.id);
                  } catch (error) {
                    // Another tab summarized that segment meanwhile: refused, nothing written.
                    if (!(error instanceof Error && error.name === 'BranchError')) throw error;
                    refusedSelections += 1;
                  }
                }
              } catch (error) {
                // A regenerate whose reply's segment was summarized by another tab first forks a
                // new chat or is refused as a BranchError: both by design.
                if (!(error instanceof Error && error.name === 'BranchError')) {
                  failures.push(
                    `#${n} ${kind}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
                  );
                }
              }
            }
            store.close();
            return { failures, runs, keys, refusedSelections };
          },
          { tab, plan: planFor(tab, steps), conversationId, dbName },
        ),
      ),
    );
    const stored = await pages[0]!.evaluate(
      async ({ conversationId, dbName }) => {
        const { DexieSessionStore, SessionManager } = (window as unknown as LibraryWindow).asm;
        const store = new DexieSessionStore({ name: dbName });
        const segments = await store.getSegments(conversationId);
        const events = (await Promise.all(segments.map((s) => store.getEvents(s.id)))).flat();
        const sm = await SessionManager.open(conversationId, { store, infiniteContext: true });
        const runs = await sm.getRuns();
        store.close();
        return { segments, events, runs: runs.map((r) => [r.id, r.status]) };
      },
      { conversationId, dbName },
    );
    expect(results.flatMap((r) => r.failures)).toEqual([]);
    const { segments, events } = stored;
    const root = segments[0]!;
    // Every metadata key every tab wrote is on the root.
    for (const key of results.flatMap((r) => r.keys)) expect(root.metadata).toHaveProperty(key);
    // Every run every tab started is stored, completed.
    const runs = new Map(stored.runs as [string, string][]);
    for (const id of results.flatMap((r) => r.runs)) expect(runs.get(id)).toBe('completed');
    // Every message every tab recorded is stored once.
    const users = events.filter((e) => e.source === 'user').map((e) => e.message);
    expect(new Set(users).size).toBe(users.length);
    // One linear chain; a closed segment's state was last written while it was the head.
    segments.forEach((s, i) => {
      expect(s.segmentIndex).toBe(i);
      expect(s.headAt !== undefined).toBe(i === segments.length - 1);
      const leaf = s.state.activeLeafId;
      if (typeof leaf === 'string')
        expect(events.some((e) => e.id === leaf && e.sessionId === s.id)).toBe(true);
    });
    expect(segments.length).toBeGreaterThan(2);
    console.log(
      `many tabs row writes: ${tabs} tabs × ${steps} steps, ${results.flatMap((r) => r.keys).length} metadata keys, ` +
        `${runs.size} runs, ${segments.length} segments, ${results.reduce((n, r) => n + r.refusedSelections, 0)} selections refused after another tab's rollover, losses 0`,
    );
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
