// @vitest-environment node
// Non-browser use: importing @ai-session-manager/core and @ai-session-manager/react where there
// is no IndexedDB (Node, server rendering, workers without it) works and touches nothing;
// using the default store there gives a clear, typed error naming MemorySessionStore; and
// MemorySessionStore does everything. Checked twice: in a fresh module graph of this process
// (the global deleted before import), and in a separate plain `node` process that never had one.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { figures, reportFigures } from './support';

reportFigures('nonBrowser');

const ROOT = resolve(__dirname, '../..');

describe('in this process, with indexedDB deleted before a fresh import', () => {
  const saved = {
    indexedDB: Object.getOwnPropertyDescriptor(globalThis, 'indexedDB'),
    IDBKeyRange: Object.getOwnPropertyDescriptor(globalThis, 'IDBKeyRange'),
  };
  let reads = 0;

  beforeEach(() => {
    reads = 0;
    // Absent, as in Node; any look at it is counted.
    for (const key of ['indexedDB', 'IDBKeyRange'] as const) {
      Object.defineProperty(globalThis, key, {
        configurable: true,
        get() {
          reads += 1;
          return undefined;
        },
      });
    }
    vi.resetModules();
  });

  afterEach(() => {
    for (const key of ['indexedDB', 'IDBKeyRange'] as const) {
      const descriptor = saved[key];
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
    }
    vi.resetModules();
  });

  it('imports core and react without looking for indexedDB', async () => {
    const core = await import('@ai-session-manager/core');
    const react = await import('@ai-session-manager/react');
    expect(typeof core.SessionManager).toBe('function');
    expect(typeof react.SessionProvider).toBe('function');
    expect(typeof react.useSession).toBe('function');
    expect(reads).toBe(0);
  });

  it('the default store fails with StorageUnavailableError naming MemorySessionStore, and writes nothing', async () => {
    const core = await import('@ai-session-manager/core');
    core.setDefaultStore(undefined);
    const attempts: [string, () => unknown][] = [
      ['getDefaultStore()', () => core.getDefaultStore()],
      ['new DexieSessionStore()', () => new core.DexieSessionStore()],
      ['new SessionManager()', () => new core.SessionManager()],
      ['SessionManager.open(id)', () => core.SessionManager.open('some-id')],
      ['exportConversation(id)', () => core.exportConversation('some-id')],
      ['trackConversation(…)', () => core.trackConversation('hi', 'hello')],
    ];
    for (const [what, attempt] of attempts) {
      const error = await (async () => attempt())().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(core.StorageUnavailableError);
      expect((error as Error).message, what).toMatch(/MemorySessionStore/);
      figures.faultsInjected += 1;
    }
  });

  it('MemorySessionStore does everything: recording, rollover, stats, export/import', async () => {
    const core = await import('@ai-session-manager/core');
    const store = new core.MemorySessionStore();
    const sm = new core.SessionManager({ store, infiniteContext: true, maxTurnsPerSegment: 2 });
    for (let i = 0; i < 5; i++) await sm.userSays(`m${i}`);
    await sm.toolUsed('calc', { x: 1 }, { y: 2 });
    expect(await sm.getSessionChain()).toHaveLength(3);
    expect((await sm.getStats()).totalMessages).toBe(5);
    const doc = await core.exportConversation(sm.conversationId, { store });
    const other = new core.MemorySessionStore();
    await core.importConversation(doc, { store: other });
    expect((await other.getSegments(sm.conversationId)).length).toBe(3);
    // setDefaultStore makes the store-less API work on a server too.
    core.setDefaultStore(store);
    expect((await core.getConversationHistory(sm.conversationId)).length).toBe(5);
    core.setDefaultStore(undefined);
    figures.eventsWritten += doc.events.length;
  });
});

describe('in a separate node process without IndexedDB', () => {
  it('imports both packages, names MemorySessionStore, and records with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'asm-node-'));
    try {
      const entry = `
const out = { indexedDBBefore: typeof globalThis.indexedDB, readsAtImport: 0 };
// Absent, as node has it, but every look at it during the imports is counted.
Object.defineProperty(globalThis, 'indexedDB', { configurable: true, get: () => { out.readsAtImport++; return undefined; } });
const core = await import('@ai-session-manager/core');
const react = await import('@ai-session-manager/react');
delete globalThis.indexedDB;
out.coreExports = Object.keys(core).length;
out.reactExports = Object.keys(react).length;
try {
  core.getDefaultStore();
  out.defaultStore = 'created';
} catch (error) {
  out.defaultStore = { name: error.name, typed: error instanceof core.StorageUnavailableError, message: error.message };
}
const sm = new core.SessionManager({ store: new core.MemorySessionStore(), infiniteContext: true, maxTurnsPerSegment: 2 });
for (let i = 0; i < 5; i++) await sm.userSays('message ' + i);
const stats = await sm.getStats();
out.stats = { messages: stats.totalMessages, segments: stats.sessionSegments, tokens: stats.totalTokens };
out.estimate = await core.getStorageEstimate();
out.persist = await core.requestPersistentStorage();
console.log(JSON.stringify(out));
`;
      // Bundled from source (workspace packages resolve to TypeScript), run by plain node.
      await build({
        absWorkingDir: ROOT,
        stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'entry.mjs', loader: 'js' },
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        conditions: ['@ai-session-manager/source'],
        outdir: join(dir, 'out'),
        logLevel: 'silent',
        banner: {
          js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
      });
      const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'out', 'stdin.js')], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        timeout: 60_000,
      });
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(out.indexedDBBefore).toBe('undefined');
      // One read: Dexie's own feature detection when its module loads (our modules make none:
      // see the in-process test above). Nothing is opened or called at import.
      expect(out.readsAtImport).toBeLessThanOrEqual(1);
      expect(out.coreExports).toBeGreaterThan(40);
      expect(out.reactExports).toBeGreaterThan(5);
      expect(out.defaultStore).toMatchObject({ name: 'StorageUnavailableError', typed: true });
      expect(out.defaultStore.message).toMatch(/MemorySessionStore/);
      expect(out.stats).toMatchObject({ messages: 5, segments: 3 });
      expect(out.stats.tokens).toBeGreaterThan(0);
      expect(out.estimate).toBeNull();
      expect(out.persist).toBe(false);
      figures.eventsWritten += 7;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
