// Regenerate, edit, list and select versions of a message. Versions live next to their
// original in the head segment (written without rolling over, so a summary never covers a
// path that is not the one continued). A message in a closed, already summarized segment is
// not branched in place: editing or regenerating it forks a new conversation from that point
// ("branch in new chat"), see forkConversation.
import {
  activeMessageIds,
  activePath,
  branchParents,
  isBranchNode,
  versionGroup,
} from '../domain/activePath.ts';
import { BranchError, HeadMovedError } from '../domain/errors.ts';
import { statsFromSegments } from '../domain/sessionStats.ts';
import { addEventToTotals, emptyTotals } from '../domain/totals.ts';
import { toTurns } from '../domain/transcript.ts';
import type { Session, SessionEvent, SessionStats, Turn } from '../domain/types.ts';
import { assertNonEmptyString, assertString, objectArg } from '../domain/validate.ts';
import { type MessagePart, toMessageParts } from '../domain/messageParts.ts';
import { usageNow } from '../pricing/messageUsage.ts';
import { type BeginResponseOptions, beginResponse } from '../streaming/replyActions.ts';
import type { ResponseStream } from '../streaming/responseStream.ts';
import type { BranchHost } from './branchHost.ts';
import { forkConversation } from './forkConversation.ts';

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

async function load(host: BranchHost, eventId: string | undefined, role: 'user' | 'llm'): Promise<Loaded> {
  const { segments, events } = await host.readConversation();
  const head = segments.at(-1);
  let target: SessionEvent | undefined;
  if (eventId === undefined) {
    const path = activeMessageIds(events, head?.state.activeLeafId as string | undefined);
    target = lastWhere(events, (e) => path.has(e.id) && e.source === role);
  } else {
    assertNonEmptyString(eventId, 'eventId');
    target = events.find((e) => e.id === eventId);
  }
  if (!head || !target || !isBranchNode(target) || target.source !== role) {
    // Only regenerate leaves the id out, to take the active path's last reply.
    if (eventId === undefined) {
      throw new BranchError('There is no assistant reply on the active path to regenerate.');
    }
    const what = role === 'llm' ? 'an assistant' : 'a user';
    throw new BranchError(`${eventId} is not ${what} message of this conversation.`);
  }
  return { segments, events, head, target };
}

/** Start a new version of an assistant reply (default: the last one on the active path). */
export async function regenerate(
  host: BranchHost,
  assistantEventId?: string,
  options: BeginResponseOptions = {},
): Promise<ResponseStream> {
  const loaded = await load(host, assistantEventId, 'llm');
  const { target, head } = loaded;
  const model =
    options.model ?? (typeof target.metadata.model === 'string' ? target.metadata.model : undefined);
  const replyOptions = { ...options, ...(model === undefined ? {} : { model }) };
  if (target.sessionId !== head.id) {
    const fork = await forkConversation(host, loaded.segments, loaded.events, target);
    return fork.beginResponse(replyOptions);
  }
  const parent = branchParents(loaded.events).get(target.id) ?? null;
  return beginResponse(host, replyOptions, { versionOf: versionGroup(target), parent });
}

/** What an edit may carry beside its text. */
export interface EditMessageOptions {
  /** The new version's parts (images, files…), stored exactly (see SessionEvent.parts). */
  parts?: MessagePart[];
}

/** Record a new version of a user message; what followed the old version stays on its branch. */
export async function editMessage(
  host: BranchHost,
  userEventId: string,
  text: string,
  options?: EditMessageOptions,
): Promise<EditResult> {
  assertNonEmptyString(userEventId, 'userEventId');
  assertString(text, 'message');
  const given = objectArg<EditMessageOptions>(options, 'options').parts;
  const parts = given === undefined ? undefined : toMessageParts(given, 'options.parts', host.scrub);
  const loaded = await load(host, userEventId, 'user');
  const { target, head } = loaded;
  if (target.sessionId !== head.id) {
    const fork = await forkConversation(host, loaded.segments, loaded.events, target);
    const sessionId = await fork.userSays(text, undefined, parts ? { parts } : {});
    const [last] = await host.store.getEvents(sessionId, { reverse: true, limit: 1 });
    return { eventId: last!.id, sessionId, conversationId: fork.conversationId, forked: true };
  }
  const model = typeof target.metadata.model === 'string' ? target.metadata.model : host.defaultModel;
  text = host.scrub(text);
  const usage = await usageNow('user', model, text, undefined, parts);
  const metadata = typeof target.metadata.model === 'string' ? { model } : {};
  const draft = host.draft('user', 'message', text, metadata, usage);
  if (parts) draft.parts = parts;
  draft.branch = {
    versionOf: versionGroup(target),
    parent: branchParents(loaded.events).get(target.id) ?? null,
  };
  const event = await host.record(draft, false);
  return {
    eventId: event.id,
    sessionId: event.sessionId,
    conversationId: host.conversationId(),
    forked: false,
  };
}

/** The versions of the message `eventId` belongs to, oldest first, and which one is active. */
export async function getAlternatives(host: BranchHost, eventId: string): Promise<Alternatives> {
  assertNonEmptyString(eventId, 'eventId');
  const { segments, events } = await host.readConversation();
  const target = events.find((e) => e.id === eventId);
  if (!target || !isBranchNode(target))
    throw new BranchError(`${eventId} is not a message of this conversation.`);
  const group = versionGroup(target);
  const versions = events.filter((e) => isBranchNode(e) && versionGroup(e) === group);
  const path = activeMessageIds(events, segments.at(-1)?.state.activeLeafId as string | undefined);
  const turns = versions.flatMap((v) => toTurns([v]));
  turns.forEach((t, index) => {
    if (turns.length > 1) t.alternatives = { index, count: turns.length };
  });
  return { versions: turns, activeIndex: versions.findIndex((v) => path.has(v.id)) };
}

/**
 * Make version `eventId` active, with the most recent path under it (as ChatGPT does). Only
 * versions in the head segment can be selected: a closed segment's summary covers the path
 * that was continued, so switching there would contradict it (fork a new chat instead).
 */
export async function selectAlternative(host: BranchHost, eventId: string): Promise<void> {
  assertNonEmptyString(eventId, 'eventId');
  const { segments, events } = await host.readConversation();
  const head = segments.at(-1);
  const target = events.find((e) => e.id === eventId);
  if (!head || !target || !isBranchNode(target)) {
    throw new BranchError(`${eventId} is not a message of this conversation.`);
  }
  if (target.sessionId !== head.id) {
    throw new BranchError(
      `${eventId} is in a closed (summarized) segment: its versions can be read but not selected; edit or regenerate it to branch in a new conversation.`,
    );
  }
  const leaf = newestLeafUnder(events, eventId);
  const newest = lastWhere(events, isBranchNode)?.id;
  // Only the selection changes, on the head as stored; a rollover meanwhile closed the segment
  // this version is in, so it can no longer be selected (nothing is written to a closed segment).
  await host.store
    .patchSession(
      head.id,
      (stored) => ({
        state: { ...stored.state, activeLeafId: leaf === newest ? null : leaf, branched: true },
      }),
      { mustBeHead: true },
    )
    .catch((error: unknown) => {
      if (!(error instanceof HeadMovedError)) throw error;
      throw new BranchError(
        `${eventId} is in a segment another tab just summarized: its versions can be read but not selected; edit or regenerate it to branch in a new conversation.`,
      );
    });
}

/** The newest message under `eventId` (itself included): where selecting it leads, as ChatGPT does. */
function newestLeafUnder(events: readonly SessionEvent[], eventId: string): string {
  const under = new Set([eventId]);
  let leaf = eventId;
  for (const [id, parent] of branchParents(events)) {
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
  host: BranchHost,
  options: { includeAllSegments?: boolean } = {},
): Promise<SessionStats> {
  const { segments, events } = await host.readConversation();
  const path = activePath(events, segments.at(-1)?.state.activeLeafId as string | undefined);
  const rows = segments.map((s) => ({
    ...s,
    totals: path.filter((e) => e.sessionId === s.id).reduce(addEventToTotals, emptyTotals()),
  }));
  const includeAllSegments = options.includeAllSegments ?? host.infiniteContext;
  const stats = statsFromSegments(rows, { infiniteContext: host.infiniteContext, includeAllSegments });
  if (!stats) throw new BranchError('Nothing is recorded in this conversation yet.');
  return stats;
}

/** Array#findLast, which an ES2022 lib (as in Vite's react-ts template) does not declare. */
function lastWhere<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}
