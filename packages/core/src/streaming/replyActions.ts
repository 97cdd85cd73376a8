// SessionManager's streaming calls: begin a reply, take over one left by a dead tab, discard one.
// Each runs inside the manager's queue, on the host the manager passes.
import { InvalidInputError, ReplyStateError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { toJsonValue } from '../domain/jsonValue.ts';
import { replyStatus } from '../domain/replyStatus.ts';
import { toBranchLink } from '../domain/activePath.ts';
import type { BranchLink, SessionEvent } from '../domain/types.ts';
import {
  assertNonEmptyString,
  assertPositiveInteger,
  assertString,
  MAX_TIMER_MS,
} from '../domain/validate.ts';
import type { ReplyHost } from './replyHost.ts';
import { DEFAULT_LEASE_MS, ResponseStream, type StreamTiming } from './responseStream.ts';

export interface BeginResponseOptions extends StreamTiming {
  model?: string;
  provider?: string;
  /** The event this reply answers or belongs to (e.g. for tool-call chains). */
  parentEventId?: string;
  /** Use this id for the reply's event (known before it is written). */
  eventId?: string;
  /** Extra metadata stored on the event (the caller's own). */
  metadata?: Record<string, unknown>;
  /** Its place in the branch tree, when it is not simply the next message (see BranchLink). */
  branch?: BranchLink;
}

/** Where a new version goes in the branch tree (set by regenerate). */
export interface VersionPlacement extends BranchLink {
  versionOf: string;
  parent: string | null;
}

function track(host: ReplyHost, reply: ResponseStream): ResponseStream {
  host.replies.set(reply.eventId, reply);
  // Forget it once settled (checked lazily: handles are few).
  for (const [id, r] of host.replies) if (r.status !== 'streaming') host.replies.delete(id);
  return reply;
}

/** Each is a timer's delay: past MAX_TIMER_MS it would fire at once and the lease never run out. */
function checkTiming(options: StreamTiming): void {
  for (const name of ['flushMs', 'leaseMs', 'idleMs'] as const) {
    if (options[name] !== undefined) assertPositiveInteger(options[name], name, MAX_TIMER_MS);
  }
}

/**
 * Write the assistant event now (status 'streaming', empty text, counted as an event only)
 * and return its handle. A placement (regenerate) writes into the current head without
 * rolling over, next to the version it replaces.
 */
export async function beginResponse(
  host: ReplyHost,
  options: BeginResponseOptions = {},
  placement?: VersionPlacement,
): Promise<ResponseStream> {
  const {
    model = host.defaultModel,
    provider,
    parentEventId,
    eventId,
    metadata = {},
    branch,
    ...timing
  } = options;
  const link = placement ?? (branch === undefined ? undefined : toBranchLink(branch, 'options.branch'));
  assertNonEmptyString(model, 'model');
  if (provider !== undefined) assertString(provider, 'provider');
  if (parentEventId !== undefined) assertNonEmptyString(parentEventId, 'parentEventId');
  checkTiming(timing);
  const meta = toJsonValue(metadata, 'metadata') as Record<string, unknown>;
  Object.assign(meta, { model, ...(provider === undefined ? {} : { provider }) });
  const draft = host.draft('llm', 'message', '', meta, undefined, eventId);
  draft.reply = {
    status: 'streaming',
    leaseUntil: Date.now() + (timing.leaseMs ?? DEFAULT_LEASE_MS),
    owner: newId(),
  };
  if (link) draft.branch = link;
  if (parentEventId !== undefined) draft.parentEventId = parentEventId;
  const event = await host.record(draft, placement === undefined);
  return track(host, new ResponseStream(host.store, event, host.conversationId(), timing, host.scrub));
}

/**
 * Take over a reply that reads as 'interrupted' (its writer's lease ran out): the handle holds
 * its text so far; append, finish, abort or discard it. A reply still live elsewhere is refused.
 */
export async function resumeResponse(
  host: ReplyHost,
  eventId: string,
  timing: StreamTiming = {},
): Promise<ResponseStream> {
  assertNonEmptyString(eventId, 'eventId');
  checkTiming(timing);
  const own = host.replies.get(eventId);
  if (own?.status === 'streaming') return own;
  const check = await takeableHere(host);
  const lease = { owner: newId(), leaseUntil: Date.now() + (timing.leaseMs ?? DEFAULT_LEASE_MS) };
  const event = await host.store.updateEvent(eventId, { reply: lease }, { check });
  if (typeof event.metadata.model !== 'string') event.metadata.model = host.defaultModel;
  return track(host, new ResponseStream(host.store, event, host.conversationId(), timing, host.scrub));
}

/**
 * Discard an unfinished reply: this manager's own live one, or one that reads as
 * 'interrupted'. It stays stored with status 'discarded' and is never shown, sent or counted.
 */
export async function discardResponse(host: ReplyHost, eventId: string): Promise<SessionEvent> {
  assertNonEmptyString(eventId, 'eventId');
  const own = host.replies.get(eventId);
  if (own?.status === 'streaming') return own.discard();
  const check = await takeableHere(host);
  return host.store.updateEvent(
    eventId,
    { reply: { status: 'discarded', leaseUntil: undefined, owner: undefined } },
    { check },
  );
}

/**
 * The in-transaction check of a takeover: the reply is interrupted and stored in one of this
 * conversation's segments (else the handle would name the wrong conversation).
 */
async function takeableHere(host: ReplyHost): Promise<(stored: SessionEvent) => void> {
  const segments = new Set(await host.segmentIds());
  return (stored) => {
    if (!segments.has(stored.sessionId)) {
      throw new InvalidInputError(
        `Reply ${stored.id} is not in conversation ${host.conversationId()}; nothing was written.`,
        'eventId',
      );
    }
    assertInterrupted(stored);
  };
}

function assertInterrupted(stored: SessionEvent): void {
  const status = replyStatus(stored);
  if (status !== 'interrupted') {
    throw new ReplyStateError(
      status === 'streaming'
        ? `Reply ${stored.id} is still streaming in another tab (its lease is live); nothing was written.`
        : `Reply ${stored.id} is ${status}, not interrupted; nothing was written.`,
    );
  }
}
