// Before schema v4 (and in conversation files written then) the library kept a reply's state and
// an event's branch link in `metadata`, where a caller's keys could change them. These moved to
// `event.reply` and `event.branch`; this reads an event of that time into today's shape.
import type { BranchLink, ReplyState, SessionEvent } from './types.ts';

const REPLY_STATUSES = new Set(['streaming', 'complete', 'aborted', 'discarded']);

/** The metadata keys the library owned before v4, moved out by `withReservedFields`. */
export const LEGACY_KEYS = [
  'status',
  'leaseUntil',
  'streamOwner',
  'abortReason',
  'finishedAt',
  'versionOf',
  'branchParent',
];

/**
 * `event` with the library's keys moved out of its metadata: a reply state when it held a known
 * status, a branch link when it named a version group or parent. Keys it never owned stay.
 */
export function withReservedFields<E extends SessionEvent>(event: E): E {
  const { status, leaseUntil, streamOwner, abortReason, finishedAt, versionOf, branchParent, ...rest } =
    event.metadata;
  const out: E = { ...event };
  const metadata: Record<string, unknown> = { ...rest };
  if (typeof status === 'string' && REPLY_STATUSES.has(status)) {
    const reply: ReplyState = { status: status as ReplyState['status'] };
    if (typeof leaseUntil === 'number') reply.leaseUntil = leaseUntil;
    if (typeof streamOwner === 'string') reply.owner = streamOwner;
    if (typeof abortReason === 'string') reply.abortReason = abortReason;
    if (typeof finishedAt === 'string') reply.finishedAt = finishedAt;
    out.reply = reply;
  } else {
    // Not the library's: a caller's own `status` (or stray keys) stays where the caller put it.
    Object.assign(metadata, pick({ status, leaseUntil, streamOwner, abortReason, finishedAt }));
  }
  const branch: BranchLink = {};
  if (typeof versionOf === 'string' && versionOf !== '') branch.versionOf = versionOf;
  else Object.assign(metadata, pick({ versionOf }));
  if (typeof branchParent === 'string' || branchParent === null) branch.parent = branchParent;
  else Object.assign(metadata, pick({ branchParent }));
  if (branch.versionOf !== undefined || branch.parent !== undefined) out.branch = branch;
  out.metadata = metadata;
  return out;
}

/** Whether an event still holds any key the library owned before v4. */
export function hasLegacyFields(event: Pick<SessionEvent, 'metadata'>): boolean {
  return LEGACY_KEYS.some((key) => key in event.metadata);
}

function pick(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
