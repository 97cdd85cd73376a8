// SessionManager's streaming calls: begin a reply, take over one left by a dead tab, discard one.
import { toJsonValue } from '../domain/jsonValue.ts';
import type { SessionManager } from '../session/sessionManager.ts';
import type { SessionEvent } from '../domain/types.ts';
import { internals, type ManagerInternals } from './managerInternals.ts';
import { kit } from './kit.ts';
import { DEFAULT_LEASE_MS, ResponseStream, type StreamTiming } from './responseStream.ts';

// Assertion helpers from the up-front code (typed here: TypeScript needs declared assertion signatures).
const assertString: (value: unknown, name: string) => asserts value is string = (v, n) =>
  kit().assertString(v, n);
const assertNonEmptyString: (value: unknown, name: string) => asserts value is string = (v, n) =>
  kit().assertNonEmptyString(v, n);
const assertPositiveInteger: (value: unknown, name: string) => asserts value is number = (v, n) =>
  kit().assertPositiveInteger(v, n);

export interface BeginResponseOptions extends StreamTiming {
  model?: string;
  provider?: string;
  /** The event this reply answers or belongs to (e.g. for tool-call chains). */
  parentEventId?: string;
  /** Use this id for the reply's event (known before it is written). */
  eventId?: string;
  /** Extra metadata stored on the event. */
  metadata?: Record<string, unknown>;
}

/** Where a new version goes in the branch tree (set by regenerate). */
export interface VersionPlacement {
  versionOf: string;
  branchParent: string | null;
}

function handles(m: ManagerInternals): Map<string, ResponseStream> {
  m.replies ??= new Map();
  return m.replies as Map<string, ResponseStream>;
}

function track(m: ManagerInternals, reply: ResponseStream): ResponseStream {
  const live = handles(m);
  live.set(reply.eventId, reply);
  // Forget it once settled (checked lazily: handles are few).
  for (const [id, r] of live) if (r.status !== 'streaming') live.delete(id);
  return reply;
}

function checkTiming(options: StreamTiming): void {
  if (options.flushMs !== undefined) assertPositiveInteger(options.flushMs, 'flushMs');
  if (options.leaseMs !== undefined) assertPositiveInteger(options.leaseMs, 'leaseMs');
}

/**
 * Write the assistant event now (status 'streaming', empty text, counted as an event only)
 * and return its handle. Runs inside the manager's queue. A placement (regenerate) writes
 * into the current head without rolling over, next to the version it replaces.
 */
export async function startReply(
  m: ManagerInternals,
  options: BeginResponseOptions,
  placement?: VersionPlacement,
): Promise<ResponseStream> {
  const { model = m.defaultModel, provider, parentEventId, eventId, metadata = {}, ...timing } = options;
  assertNonEmptyString(model, 'model');
  if (provider !== undefined) assertString(provider, 'provider');
  if (parentEventId !== undefined) assertNonEmptyString(parentEventId, 'parentEventId');
  checkTiming(timing);
  const meta = toJsonValue(metadata, 'metadata') as Record<string, unknown>;
  Object.assign(meta, {
    model,
    ...(provider === undefined ? {} : { provider }),
    ...placement,
    status: 'streaming',
    leaseUntil: Date.now() + (timing.leaseMs ?? DEFAULT_LEASE_MS),
    streamOwner: kit().newId(),
  });
  const draft = m.draft('llm', 'message', '', meta, undefined, eventId);
  if (parentEventId !== undefined) draft.parentEventId = parentEventId;
  const event = await m.record(draft, placement === undefined);
  return track(m, new ResponseStream(m.store, event, m.conversationId, timing));
}

/** SessionManager.beginResponse (runs inside the manager's queue, as every export here does). */
export function beginResponse(
  manager: SessionManager,
  options: BeginResponseOptions = {},
): Promise<ResponseStream> {
  return startReply(internals(manager), options);
}

/**
 * Take over a reply that reads as 'interrupted' (its writer's lease ran out): the handle holds
 * its text so far; append, finish, abort or discard it. A reply still live elsewhere is refused.
 */
export async function resumeResponse(
  manager: SessionManager,
  eventId: string,
  timing: StreamTiming = {},
): Promise<ResponseStream> {
  const m = internals(manager);
  {
    assertNonEmptyString(eventId, 'eventId');
    checkTiming(timing);
    const own = handles(m).get(eventId);
    if (own?.status === 'streaming') return own;
    const event = await m.store.updateEvent(
      eventId,
      {
        metadata: {
          streamOwner: kit().newId(),
          leaseUntil: Date.now() + (timing.leaseMs ?? DEFAULT_LEASE_MS),
        },
      },
      { check: assertInterrupted },
    );
    if (typeof event.metadata.model !== 'string') event.metadata.model = m.defaultModel;
    return track(m, new ResponseStream(m.store, event, m.conversationId, timing));
  }
}

/**
 * Discard an unfinished reply: this manager's own live one, or one that reads as
 * 'interrupted'. It stays stored with status 'discarded' and is never shown, sent or counted.
 */
export async function discardResponse(manager: SessionManager, eventId: string): Promise<SessionEvent> {
  const m = internals(manager);
  {
    assertNonEmptyString(eventId, 'eventId');
    const own = handles(m).get(eventId);
    if (own?.status === 'streaming') return own.discard();
    return m.store.updateEvent(
      eventId,
      { metadata: { status: 'discarded', leaseUntil: undefined, streamOwner: undefined } },
      { check: assertInterrupted },
    );
  }
}

function assertInterrupted(stored: SessionEvent): void {
  const status = kit().replyStatus(stored);
  if (status !== 'interrupted') {
    throw new (kit().ReplyStateError)(
      status === 'streaming'
        ? `Reply ${stored.id} is still streaming in another tab (its lease is live); nothing was written.`
        : `Reply ${stored.id} is ${status}, not interrupted; nothing was written.`,
    );
  }
}
