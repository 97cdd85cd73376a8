// `@ai-session-manager/core/streaming`: replies saved while they stream — the handle, its
// timing, and how readers see a reply (status, leases). The manager's beginResponse,
// resumeResponse and discardResponse create and settle the handles.
export type { ReplyState } from '../domain/types.ts';
export { isFinished, isLive, replyStatus } from '../domain/replyStatus.ts';
export type { ReplyStatus } from '../domain/replyStatus.ts';
export { ReplyStateError } from '../domain/errors.ts';
export type { BeginResponseOptions } from './replyActions.ts';
export { DEFAULT_FLUSH_MS, DEFAULT_IDLE_MS, DEFAULT_LEASE_MS, ResponseStream } from './responseStream.ts';
export type {
  AbortResponseOptions,
  FinishResponseOptions,
  ResponseStatus,
  StreamTiming,
} from './responseStream.ts';
export { lessCountedCompletion } from './billedOnce.ts';
