// How readers see a reply. A streamed reply stores `reply.status` 'streaming' | 'complete' |
// 'aborted' | 'discarded' (a message written whole has no `reply`: complete); a 'streaming'
// reply whose writer stopped renewing its lease (`reply.leaseUntil`, epoch ms) reads as 'interrupted'.
import type { SessionEvent } from './types.ts';

export type ReplyStatus = 'complete' | 'streaming' | 'aborted' | 'interrupted' | 'discarded';

/** The status a reader reports for a message event at time `now`. */
export function replyStatus(event: Pick<SessionEvent, 'reply'>, now = Date.now()): ReplyStatus {
  const reply = event.reply;
  if (!reply) return 'complete';
  if (reply.status === 'streaming')
    return typeof reply.leaseUntil === 'number' && reply.leaseUntil > now ? 'streaming' : 'interrupted';
  return reply.status;
}

/** A reply whose text is final (complete or aborted): the only ones sent to a model. */
export function isFinished(event: Pick<SessionEvent, 'reply'>): boolean {
  const status = event.reply?.status;
  return status !== 'streaming' && status !== 'discarded';
}

/** A reply still being written whose lease is live at `now`. */
export function isLive(event: Pick<SessionEvent, 'reply'>, now = Date.now()): boolean {
  return replyStatus(event, now) === 'streaming';
}
