// Everything the recorder takes from the rest of core, in one place.
export { activePath } from '../domain/activePath.ts';
export { InvalidInputError } from '../domain/errors.ts';
export { lessCountedCompletion } from '../streaming/billedOnce.ts';
export type { BeginResponseOptions } from '../streaming/replyActions.ts';
export type { ResponseStream, StreamTiming } from '../streaming/responseStream.ts';
export type { ProviderUsage } from '../domain/providerUsage.ts';
export type { SessionManager } from '../session/sessionManager.ts';
export { assertNonEmptyString } from '../domain/validate.ts';
export { EventSource, EventType, type SessionEvent } from '../domain/types.ts';
export type { MessagePart } from '../domain/messageParts.ts';
export type { EditResult } from '../branches/branchActions.ts';
