// Regenerate, edit, list and select versions of a message. Versions live next to their
// original in the head segment (written without rolling over, so a summary never covers a
// path that is not the one continued). A message in a closed, already summarized segment is
// not branched in place: editing or regenerating it forks a new conversation from that point
// ("branch in new chat"), see forkConversation.
import type { SessionManager } from '../session/sessionManager.ts';
import { internals, type ManagerInternals, readConversation } from '../streaming/managerInternals.ts';
import { type BeginResponseOptions, startReply } from '../streaming/replyActions.ts';
import type { ResponseStream } from '../streaming/responseStream.ts';
import type { Session, SessionEvent, SessionStats, Turn } from '../domain/types.ts';
import { kit } from '../streaming/kit.ts';
import { forkConversation } from './forkConversation.ts';

// Assertion helpers from the up-front code (typed here: TypeScript needs declared assertion signatures).
const assertString: (value: unknown, name: string) => asserts value is string = (v, n) =>
  kit().assertString(v, n);
const assertNonEmptyString: (value: unknown, name: string) => asserts value is string = (v, n) =>
  kit().assertNonEmptyString(v, n);

export interface EditResult {
  /** The new version's event id. */
  eventId: string;
  sessionId: string;
  conversationId: string;
  /** true when the message was in a closed segment and a new conversation was forked. */
  forked: boolean;
}

export interface Alternatives {
  /** Every version, oldest first, as turns (each with `alternatives`). */
  versions: Turn[];
  /** Which version is on the active path (-1: none is). */
  activeIndex: number;
}

interface Loaded {
  segments: Session[];
  events: SessionEvent[];
  head: Session;
  target: SessionEvent;
}

async function load(m: ManagerInternals, eventId: string | undefined, role: 'user' | 'llm'): Promise<Loaded> {
  const { segments, events } = await readConversation(m);
  const head = segments.at(-1);
  let target: SessionEvent | undefined;
  if (eventId === undefined) {
    const path = kit().activeMessageIds(events, head?.state.activeLeafId as string | undefined);
    target = lastWhere(events, (e) => path.has(e.id) && e.source === role);
  } else {
    assertNonEmptyString(eventId, 'eventId');
    target = events.find((e) => e.id === eventId);
  }
  if (!head || !target || !kit().isBranchNode(target) || target.source !== role) {
    const what = role === 'llm' ? 'an assistant' : 'a user';
    throw new (kit().BranchError)(
      `${eventId ?? 'The conversation'} is not ${what} message of this conversation.`,
    );
  }
  return { segments, events, head, target };
}

/** Start a new version of an assistant reply (default: the last one on the active path). */
export async function regenerate(
  manager: SessionManager,
  assistantEventId?: string,
  options: BeginResponseOptions = {},
): Promise<ResponseStream> {
  const m = internals(manager);
  {
    const loaded = await load(m, assistantEventId, 'llm');
    const { target, head } = loaded;
    const model =
      options.model ?? (typeof target.metadata.model === 'string' ? target.metadata.model : undefined);
    const replyOptions = { ...options, ...(model === undefined ? {} : { model }) };
    if (target.sessionId !== head.id) {
      const fork = await forkConversation(m, loaded.segments, loaded.events, target);
      return fork.beginResponse(replyOptions);
    }
    const branchParent = kit().branchParents(loaded.events).get(target.id) ?? null;
    return startReply(m, replyOptions, { versionOf: kit().versionGroup(target), branchParent });
  }
}

/** Record a new version of a user message; what followed the old version stays on its branch. */
export async function editMessage(
  manager: SessionManager,
  userEventId: string,
  text: string,
): Promise<EditResult> {
  const m = internals(manager);
  {
    assertNonEmptyString(userEventId, 'userEventId');
    assertString(text, 'message');
    const loaded = await load(m, userEventId, 'user');
    const { target, head } = loaded;
    if (target.sessionId !== head.id) {
      const fork = await forkConversation(m, loaded.segments, loaded.events, target);
      const sessionId = await fork.userSays(text);
      const [last] = await fork.store.getEvents(sessionId, { reverse: true, limit: 1 });
      return { eventId: last!.id, sessionId, conversationId: fork.conversationId, forked: true };
    }
    const model = typeof target.metadata.model === 'string' ? target.metadata.model : m.defaultModel;
    const usage = await kit().userMessageUsage(model, text);
    const metadata = {
      ...(typeof target.metadata.model === 'string' ? { model } : {}),
      versionOf: kit().versionGroup(target),
      branchParent: kit().branchParents(loaded.events).get(target.id) ?? null,
    };
    const event = await m.record(m.draft('user', 'message', text, metadata, usage), false);
    return { eventId: event.id, sessionId: event.sessionId, conversationId: m.conversationId, forked: false };
  }
}

/** The versions of the message `eventId` belongs to, oldest first, and which one is active. */
export async function getAlternatives(manager: SessionManager, eventId: string): Promise<Alternatives> {
  const m = internals(manager);
  {
    assertNonEmptyString(eventId, 'eventId');
    const { segments, events } = await readConversation(m);
    const target = events.find((e) => e.id === eventId);
    if (!target || !kit().isBranchNode(target))
      throw new (kit().BranchError)(`${eventId} is not a message of this conversation.`);
    const group = kit().versionGroup(target);
    const versions = events.filter((e) => kit().isBranchNode(e) && kit().versionGroup(e) === group);
    const path = kit().activeMessageIds(events, segments.at(-1)?.state.activeLeafId as string | undefined);
    const turns = versions.flatMap((v) => kit().toTurns([v]));
    turns.forEach((t, index) => {
      if (turns.length > 1) t.alternatives = { index, count: turns.length };
    });
    return { versions: turns, activeIndex: versions.findIndex((v) => path.has(v.id)) };
  }
}

/**
 * Make version `eventId` active, with the most recent path under it (as ChatGPT does). Only
 * versions in the head segment can be selected: a closed segment's summary covers the path
 * that was continued, so switching there would contradict it (fork a new chat instead).
 */
export async function selectAlternative(manager: SessionManager, eventId: string): Promise<void> {
  const m = internals(manager);
  {
    assertNonEmptyString(eventId, 'eventId');
    const { segments, events } = await readConversation(m);
    const head = segments.at(-1);
    const target = events.find((e) => e.id === eventId);
    if (!head || !target || !kit().isBranchNode(target)) {
      throw new (kit().BranchError)(`${eventId} is not a message of this conversation.`);
    }
    if (target.sessionId !== head.id) {
      throw new (kit().BranchError)(
        `${eventId} is in a closed (summarized) segment: its versions can be read but not selected; edit or regenerate it to branch in a new conversation.`,
      );
    }
    const leaf = newestLeafUnder(events, eventId);
    const newest = lastWhere(events, kit().isBranchNode)?.id;
    const fresh = (await m.store.getSession(head.id)) ?? head;
    await m.store.updateSession(head.id, {
      state: { ...fresh.state, activeLeafId: leaf === newest ? null : leaf, branched: true },
    });
  }
}

/** The newest message under `eventId` (itself included): where selecting it leads, as ChatGPT does. */
function newestLeafUnder(events: readonly SessionEvent[], eventId: string): string {
  const under = new Set([eventId]);
  let leaf = eventId;
  for (const [id, parent] of kit().branchParents(events)) {
    if (parent !== null && under.has(parent)) {
      under.add(id);
      leaf = id;
    }
  }
  return leaf;
}

/**
 * Stats of the active path only: what the conversation as shown holds (messages, tokens and
 * cost of the versions on the path, plus tool calls and summaries). getStats counts every
 * version ever written (each was paid for); this scans the events, so it costs a full read.
 */
export async function getActivePathStats(
  manager: SessionManager,
  options: { includeAllSegments?: boolean } = {},
): Promise<SessionStats> {
  const m = internals(manager);
  const k = kit();
  const { segments, events } = await readConversation(m);
  const path = k.activePath(events, segments.at(-1)?.state.activeLeafId as string | undefined);
  const rows = segments.map((s) => ({
    ...s,
    totals: path.filter((e) => e.sessionId === s.id).reduce(k.addEventToTotals, k.emptyTotals()),
  }));
  const includeAllSegments = options.includeAllSegments ?? m.infiniteContext;
  const stats = k.statsFromSegments(rows, { infiniteContext: m.infiniteContext, includeAllSegments });
  if (!stats) throw new k.BranchError('Nothing is recorded in this conversation yet.');
  return stats;
}

/** Array#findLast, which an ES2022 lib (as in Vite's react-ts template) does not declare. */
function lastWhere<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}
