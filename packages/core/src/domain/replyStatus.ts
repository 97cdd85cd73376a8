// How readers see a reply. Stored `metadata.status` is 'streaming' | 'complete' (or absent) |
// 'aborted' | 'discarded'; a 'streaming' reply whose writer stopped renewing its lease
// (`metadata.leaseUntil`, epoch ms) reads as 'interrupted'.
import type { SessionEvent } from './types.ts';

export type ReplyStatus = 'complete' | 'streaming' | 'aborted' | 'interrupted' | 'discarded';

/** The status a reader reports for a message event at time `now`. */
export function replyStatus(event: Pick<SessionEvent, 'metadata'>, now = Date.now()): ReplyStatus {
  const { status, leaseUntil } = event.metadata;
  if (status === 'streaming')
    return typeof leaseUntil === 'number' && leaseUntil > now ? 'streaming' : 'interrupted';
  return status === 'aborted' || status === 'discarded' ? status : 'complete';
}

/** A reply whose text is final (complete or aborted): the only ones sent to a model. */
export function isFinished(event: Pick<SessionEvent, 'metadata'>): boolean {
  const status = event.metadata?.status;
  return status !== 'streaming' && status !== 'discarded';
}
