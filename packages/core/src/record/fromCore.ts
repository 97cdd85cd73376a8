// Everything the recorder takes from the rest of core, in one place.
export { activePath } from '../branches/activePath';
export { InvalidInputError } from '../errors';
export { lessCountedCompletion } from '../streaming/billedOnce';
export type { BeginResponseOptions } from '../streaming/replyActions';
export type { ResponseStream, StreamTiming } from '../streaming/responseStream';
export type { ProviderUsage, SessionManager } from '../sessionManager';
export { assertNonEmptyString } from '../validate';
export { EventSource, EventType, type SessionEvent } from '../types';
