import type { SessionEvent } from '@ai-session-manager/core';
import { type ReplyStatus, replyStatus } from '@ai-session-manager/core/chat';
import { useEffect, useState } from 'react';

/**
 * A message's status as readers see it, now: a streaming reply whose lease runs out turns
 * 'interrupted' at that moment, with no write needed (a timer re-renders the row then).
 */
export function useReplyStatus(event: SessionEvent): ReplyStatus {
  const [, tick] = useState(0);
  const status = replyStatus(event);
  const lease = event.reply?.leaseUntil;
  useEffect(() => {
    if (status !== 'streaming' || typeof lease !== 'number') return undefined;
    const timer = setTimeout(() => tick((n) => n + 1), Math.max(0, lease - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [status, lease]);
  return status;
}
