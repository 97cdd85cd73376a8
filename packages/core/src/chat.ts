// `@ai-session-manager/core/chat`: what the adapters and UIs need about streamed replies and
// branches without a SessionManager (the branch tree, reply status, the reply handle), and the
// manager's streaming and branch calls as functions.
import type { Alternatives, EditResult } from './branches/branchActions.ts';
import type { SessionEvent, SessionStats } from './domain/types.ts';
import type { SessionManager } from './session/sessionManager.ts';
import type { BeginResponseOptions } from './streaming/replyActions.ts';
import type { ResponseStream, StreamTiming } from './streaming/responseStream.ts';

export {
  activeMessageIds,
  activePath,
  branchParents,
  isBranchNode,
  versionGroup,
  versionsByGroup,
} from './domain/activePath.ts';
export { BranchError, ReplyStateError } from './domain/errors.ts';
export { lessCountedCompletion } from './streaming/billedOnce.ts';
export type { Alternatives, EditResult } from './branches/branchActions.ts';
export type { BeginResponseOptions } from './streaming/replyActions.ts';
export { isFinished, replyStatus } from './domain/replyStatus.ts';
export type { ReplyStatus } from './domain/replyStatus.ts';
export {
  DEFAULT_FLUSH_MS,
  DEFAULT_LEASE_MS,
  ResponseStream,
} from './streaming/responseStream.ts';
export type { FinishResponseOptions, ResponseStatus, StreamTiming } from './streaming/responseStream.ts';

/** `manager.beginResponse(options)`. */
export function beginResponse(
  manager: SessionManager,
  options?: BeginResponseOptions,
): Promise<ResponseStream> {
  return manager.beginResponse(options);
}

/** `manager.resumeResponse(eventId, timing)`. */
export function resumeResponse(
  manager: SessionManager,
  eventId: string,
  timing?: StreamTiming,
): Promise<ResponseStream> {
  return manager.resumeResponse(eventId, timing);
}

/** `manager.discardResponse(eventId)`. */
export function discardResponse(manager: SessionManager, eventId: string): Promise<SessionEvent> {
  return manager.discardResponse(eventId);
}

/** `manager.regenerate(assistantEventId, options)`. */
export function regenerate(
  manager: SessionManager,
  assistantEventId?: string,
  options?: BeginResponseOptions,
): Promise<ResponseStream> {
  return manager.regenerate(assistantEventId, options);
}

/** `manager.editMessage(userEventId, text)`. */
export function editMessage(manager: SessionManager, userEventId: string, text: string): Promise<EditResult> {
  return manager.editMessage(userEventId, text);
}

/** `manager.getAlternatives(eventId)`. */
export function getAlternatives(manager: SessionManager, eventId: string): Promise<Alternatives> {
  return manager.getAlternatives(eventId);
}

/** `manager.selectAlternative(eventId)`. */
export function selectAlternative(manager: SessionManager, eventId: string): Promise<void> {
  return manager.selectAlternative(eventId);
}

/** `manager.getActivePathStats(options)`. */
export function getActivePathStats(
  manager: SessionManager,
  options?: { includeAllSegments?: boolean },
): Promise<SessionStats> {
  return manager.getActivePathStats(options);
}
