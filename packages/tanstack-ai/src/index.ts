export { sessionPersistence } from './sessionPersistence';
export type { SessionPersistence, SessionPersistenceOptions } from './sessionPersistence';
export {
  storedMessages,
  MESSAGE_ID,
  MESSAGE_UNIT,
  MESSAGE_CREATED_AT,
  MESSAGE_METADATA,
  TOOL_PARTS,
} from './storedMessages';
export type { StoredMessagesOptions } from './storedMessages';
export { RESUME } from './threadRecorder';
export { findConversation, THREAD_ID } from './threadConversation';
export type { RunEnd } from './threadRecorder';
export { observeRuns } from './runObserver';
export { messageUnits } from './messageUnits';
export type { MessageUnit } from './messageUnits';
export { messageUsage, providerUsage } from './usage';
