// Everything the recorder takes from the rest of core, in one place.
export { activePath } from '../branches/activePath.ts';
export { InvalidInputError } from '../errors.ts';
export { lessCountedCompletion } from '../streaming/billedOnce.ts';
export type { BeginResponseOptions } from '../streaming/replyActions.ts';
export type { ResponseStream, StreamTiming } from '../streaming/responseStream.ts';
export type { ProviderUsage, SessionManager } from '../sessionManager.ts';
export { assertNonEmptyString } from '../validate.ts';
export { EventSource, EventType, type SessionEvent } from '../types.ts';
