import type { SessionStore } from '@ai-session-manager/core';
import {
  buildWindowSlice,
  type ConversationWindowSlice,
  hasOlderThan,
  type LiveWindow,
  loadingWindow,
  readLiveWindow,
  readOlderPage,
  type WindowPart,
  type WindowPosition,
} from './conversationWindow.ts';
import { nextLeaseEnd } from './conversationSlice.ts';
import { type Slot, toError } from './liveSlot.ts';

/**
 * Feed one window slice: a live query over the newest `size` events (its anchor fixed by the
 * first read, so the window grows with new events and never drops what it showed) plus older
 * pages read once by the slice's `loadOlder`. Returns the stop function.
 */
export function startWindowFeed(
  store: SessionStore,
  conversationId: string,
  size: number,
  pageSize: number,
  slot: Slot<ConversationWindowSlice>,
): () => void {
  let anchor: WindowPosition | null = null;
  let live: WindowPart[] = [];
  let older: WindowPart[] = [];
  let shown: WindowPart[] = [];
  let loadingOlder: Promise<void> | null = null;

  const show = (patch: Partial<ConversationWindowSlice> = {}) =>
    slot.update((prev) => {
      const next = buildWindowSlice(prev, older, live, shown);
      shown = [...older, ...live];
      const patched = { ...next, ...patch };
      return (Object.keys(patch) as (keyof ConversationWindowSlice)[]).every((k) => patched[k] === next[k])
        ? next
        : patched;
    });

  const loadOlder = (): Promise<void> => {
    if (loadingOlder) return loadingOlder;
    const first = older[0] ?? live[0];
    if (!first || !hasOlderThan([first]) || !slot.isCurrent()) return Promise.resolve();
    const from = anchor;
    slot.update((prev) => ({ ...prev, isLoadingOlder: true }));
    loadingOlder = readOlderPage(store, first, pageSize).then(
      (page) => {
        loadingOlder = null;
        if (!slot.isCurrent()) return;
        // The live part started over meanwhile (the conversation was replaced): drop the page.
        if (anchor === from) older = [...page, ...older];
        show({ isLoadingOlder: false });
      },
      (error) => {
        loadingOlder = null;
        if (slot.isCurrent())
          slot.update((prev) => ({ ...prev, isLoadingOlder: false, error: toError(error) }));
        throw error;
      },
    );
    return loadingOlder;
  };

  let leaseTimer: ReturnType<typeof setTimeout> | undefined;
  // An async function: Dexie's liveQuery keeps tracking reads across native awaits only for those.
  const read = async () => readLiveWindow(store, conversationId, size, anchor, live);
  const observer = {
    next: (snapshot: LiveWindow) => {
      if (!slot.isCurrent()) return;
      if (!sameAnchor(snapshot.anchor, anchor)) older = [];
      anchor = snapshot.anchor;
      live = snapshot.parts;
      show();
      // A reply whose writer stops renewing its lease turns 'interrupted' with no write: look again then.
      clearTimeout(leaseTimer);
      const end = nextLeaseEnd(live);
      if (end !== undefined)
        leaseTimer = setTimeout(
          () => read().then(observer.next, observer.error),
          Math.max(0, end - Date.now()) + 1,
        );
    },
    error: (error: unknown) => {
      if (slot.isCurrent()) slot.update((prev) => ({ ...prev, isLoading: false, error: toError(error) }));
    },
  };
  slot.init(loadingWindow(loadOlder));
  const stop = store.watch(read, observer);
  return () => {
    clearTimeout(leaseTimer);
    stop();
  };
}

function sameAnchor(a: WindowPosition | null, b: WindowPosition | null): boolean {
  return a === b || (a !== null && b !== null && a.sessionId === b.sessionId && a.seq === b.seq);
}
