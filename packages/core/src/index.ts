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
  BranchError,
  ConversationDeletedError,
  DuplicateIdError,
  InvalidInputError,
  ReplyStateError,
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
export { addEventToTotals, conversationTotals, emptyTotals, sumTotals } from './totals';
export { statsFromHead, statsFromSegments } from './sessionStats';
export type { StatsOptions } from './sessionStats';
export { DexieSessionStore } from './storage/dexieSessionStore';
export type { DexieSessionStoreOptions } from './storage/dexieSessionStore';
export { MemorySessionStore } from './storage/memorySessionStore';
export { getDefaultStore, setDefaultStore } from './storage/defaultStore';
export { SCHEMA_VERSION } from './storage/sessionDatabase';
export type { Tombstone } from './storage/sessionDatabase';
export type { LockManagerLike } from './storage/rolloverLock';
export { openSessionStore } from './storage/openSessionStore';
export type { OpenedSessionStore, OpenSessionStoreOptions } from './storage/openSessionStore';
export { getStorageEstimate, requestPersistentStorage } from './storage/storageQuota';
export type { StorageEstimate } from './storage/storageQuota';
export type {
  AppendOptions,
  AppendResult,
  ChainEnds,
  ConversationSummary,
  EventPatch,
  EventRange,
  ListConversationsOptions,
  Observer,
  RolloverLimits,
  RolloverRequest,
  RolloverResult,
  SessionStore,
  UpdateEventOptions,
} from './storage/sessionStore';
export type { PathOptions } from './transcript';
export type { TurnStatus } from './types';
export type {
  Alternatives,
  BeginResponseOptions,
  EditResult,
  FinishResponseOptions,
  ReplyStatus,
  ResponseStatus,
  ResponseStream,
  StreamTiming,
} from './chat';
export {
  countChatTokens,
  countTokens,
  countTokensBatch,
  countTokensSync,
  encodingForModel,
  loadTokenizer,
  setTokenizerWorker,
  tokenCountSource,
} from './tokens';
export type { TokenEncoding, TokenizerWorkerFactory } from './tokens';
export { estimateCost, getContextWindow, registerModel, unregisterModel } from './pricing';
export type { CostQuery, ModelDefinition } from './pricing';
export type { SessionRun } from './runs/sessionRun';
export { RunStateError, runDuration } from './runs/runRecord';
export type { RunRecord, RunStats, RunStatus, RunTokenUsage } from './runs/runRecord';
export { buildPrompt } from './prompt/buildPrompt';
export type { ContextUsage } from './prompt/contextUsage';
export type { BuildPromptOptions, PromptStrategy } from './prompt/buildPrompt';
export { truncatePromptToTokenLimit } from './prompt/truncatePrompt';
export type { TruncateOptions } from './prompt/truncatePrompt';
export { SessionAwareToolProcessor } from './tools/sessionAwareToolProcessor';
export type {
  AssistantToolMessage,
  OpenAIToolCall,
  SessionAwareToolProcessorOptions,
  ToolFunction,
  ToolResultMessage,
} from './tools/sessionAwareToolProcessor';
export { BoundedCache } from './tools/boundedCache';
export {
  getConversationHistory,
  getSessionStats,
  quickConversation,
  trackConversation,
  trackInfiniteConversation,
  trackLLMCall,
  trackToolUse,
} from './convenience';
export type {
  ConversationTurnInput,
  LLMFunction,
  ReadOptions,
  TrackInfiniteResult,
  TrackLLMCallResult,
  TrackOptions,
} from './convenience';
export type { LLMResponseParts } from './llmResponse';
export { exportConversation } from './interop/exportConversation';
export { importConversation } from './interop/importConversation';
export type { ImportOptions, ImportResult } from './interop/importConversation';
export { CONVERSATION_FORMAT, CONVERSATION_VERSION } from './interop/conversationDocument';
export type { ConversationDocument } from './interop/conversationDocument';
export type { ToConverterOptions } from './interop/transcriptItems';
export type { FromConverterOptions } from './interop/recordTranscript';
export { fromOpenAIMessages, toOpenAIMessages } from './interop/openaiMessages';
export type { OpenAIChatMessage, OpenAIMessageInput, OpenAIMessageToolCall } from './interop/openaiMessages';
export { fromAnthropicMessages, toAnthropicMessages } from './interop/anthropicMessages';
export type {
  AnthropicContentBlock,
  AnthropicConversation,
  AnthropicConversationInput,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './interop/anthropicMessages';
export { fromUIMessages, toUIMessages } from './interop/uiMessages';
export type {
  UIDynamicToolPart,
  UIMessage,
  UIMessageInput,
  UIMessagePart,
  UIStepStartPart,
  UITextPart,
  UIToolPart,
} from './interop/uiMessages';
