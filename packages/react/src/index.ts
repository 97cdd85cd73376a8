export { SessionProvider } from './SessionProvider';
export type { SessionProviderProps } from './SessionProvider';
export { persistOnFirstConversation } from './storagePersistence';
export type { PersistableStorage } from './storagePersistence';
export { useSession } from './useSession';
export type { UseSessionResult } from './useSession';
export { useConversation } from './useConversation';
export type {
  UseConversationOptions,
  UseConversationResult,
  UseConversationWindowResult,
} from './useConversation';
export { useSessionStats } from './useSessionStats';
export type { UseSessionStatsResult } from './useSessionStats';
export { useSessions } from './useSessions';
export type { UseSessionsOptions, UseSessionsPagedResult, UseSessionsResult } from './useSessions';
export { useSessionStore } from './useSessionStore';
export { useConversationStore } from './useConversationStore';
export { createConversationStore, windowKey } from './conversationStore';
export type {
  ConversationStore,
  ConversationStoreState,
  Recorder,
  RecorderState,
  SessionActions,
  UseSessionOptions,
} from './conversationStore';
export type { ConversationListSlice, ConversationSegment, ConversationSlice } from './conversationSlice';
export type { ConversationWindowSlice } from './conversationWindow';
export type { StatsSlice } from './conversationStats';
export type { PagedConversationListSlice } from './conversationPages';
