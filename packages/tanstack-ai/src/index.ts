export { sessionPersistence } from './sessionPersistence.ts';
export type { SessionPersistence, SessionPersistenceOptions } from './sessionPersistence.ts';
export {
  storedMessages,
  MESSAGE_ID,
  MESSAGE_UNIT,
  MESSAGE_CREATED_AT,
  MESSAGE_METADATA,
  TOOL_PARTS,
} from './storedMessages.ts';
export type { StoredMessagesOptions } from './storedMessages.ts';
export { RESUME } from './resumePointer.ts';
export { findConversation, THREAD_ID } from './threadConversation.ts';
export type { RunEnd } from './runEnd.ts';
export { observeRuns } from './runObserver.ts';
export { messageUnits } from './messageUnits.ts';
export type { MessageUnit } from './messageUnits.ts';
export { messageUsage, providerUsage } from './usage.ts';
