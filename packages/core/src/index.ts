export { EventSource, EventType } from './types';
export type {
  ChatMessage,
  EventDraft,
  Session,
  SessionEvent,
  SessionStats,
  SessionTotals,
  TokenUsage,
  ToolCallMessage,
  Turn,
} from './types';
export {
  DuplicateIdError,
  InvalidInputError,
  SessionManagerError,
  SessionNotFoundError,
  StorageQuotaError,
  StorageUnavailableError,
  StorageWriteError,
} from './errors';
export { SessionManager } from './sessionManager';
export type {
  AiRespondsOptions,
  GetMessagesOptions,
  ProviderUsage,
  SessionManagerOptions,
  ToolUsedOptions,
} from './sessionManager';
export { extractiveSummary } from './summary';
export type { SummarizeFn } from './summary';
export { toChatMessages, toTurns } from './transcript';
export { addEventToTotals, emptyTotals, sumTotals } from './totals';
export { DexieSessionStore } from './storage/dexieSessionStore';
export type { DexieSessionStoreOptions } from './storage/dexieSessionStore';
export { MemorySessionStore } from './storage/memorySessionStore';
export { getDefaultStore, setDefaultStore } from './storage/defaultStore';
export { SCHEMA_VERSION } from './storage/sessionDatabase';
export type {
  AppendOptions,
  AppendResult,
  ConversationSummary,
  EventRange,
  Observer,
  RolloverLimits,
  RolloverRequest,
  RolloverResult,
  SessionStore,
} from './storage/sessionStore';
export {
  countChatTokens,
  countTokens,
  countTokensSync,
  encodingForModel,
  loadTokenizer,
  tokenCountSource,
} from './tokens';
export type { TokenEncoding } from './tokens';
export { estimateCost, registerModel } from './pricing';
