export { SessionProvider } from './SessionProvider.tsx';
export type { SessionProviderProps } from './SessionProvider.tsx';
export { persistOnFirstConversation } from './storagePersistence.ts';
export type { PersistableStorage } from './storagePersistence.ts';
export { useSession } from './useSession.ts';
export type { UseSessionResult } from './useSession.ts';
export { useConversation } from './useConversation.ts';
export type {
  UseConversationOptions,
  UseConversationResult,
  UseConversationWindowResult,
} from './useConversation.ts';
export { useSessionStats } from './useSessionStats.ts';
export type { UseSessionStatsResult } from './useSessionStats.ts';
export { useSessions } from './useSessions.ts';
export type { UseSessionsOptions, UseSessionsPagedResult, UseSessionsResult } from './useSessions.ts';
export { useSessionStore } from './useSessionStore.ts';
export { useConversationStore } from './useConversationStore.ts';
export { createConversationStore, windowKey } from './conversationStore.ts';
export type {
  ConversationStore,
  ConversationStoreState,
  Recorder,
  RecorderState,
  SessionActions,
  UseSessionOptions,
} from './conversationStore.ts';
export type { ConversationListSlice, ConversationSegment, ConversationSlice } from './conversationSlice.ts';
export type { ConversationWindowSlice } from './conversationWindow.ts';
export type { StatsSlice } from './conversationStats.ts';
export type { PagedConversationListSlice } from './conversationPages.ts';
