export { EventSource, EventType } from './domain/types.ts';
export type {
  BranchLink,
  ChatMessage,
  EventDraft,
  ReplyState,
  Session,
  SessionEvent,
  SessionStats,
  SessionTotals,
  TokenUsage,
  ToolCallMessage,
  Turn,
} from './domain/types.ts';
export {
  BranchError,
  ConversationDeletedError,
  DuplicateIdError,
  HeadMovedError,
  InvalidInputError,
  ReplyStateError,
  SessionManagerError,
  SessionNotFoundError,
  StorageQuotaError,
  StorageUnavailableError,
  StorageWriteError,
} from './domain/errors.ts';
export { SessionManager } from './session/sessionManager.ts';
export type {
  AiRespondsOptions,
  GetMessagesOptions,
  SessionManagerOptions,
  ToolUsedOptions,
  UserSaysOptions,
} from './session/managerOptions.ts';
export { UNKNOWN_MODEL } from './session/managerOptions.ts';
export { scrubSecrets } from './domain/scrubSecrets.ts';
export type { Scrubber } from './domain/scrubSecrets.ts';
export type { ProviderUsage } from './domain/providerUsage.ts';
export { extractiveSummary } from './prompt/extractiveSummary.ts';
export type { SummarizeFn } from './prompt/extractiveSummary.ts';
export { toChatMessages, toTurns } from './domain/transcript.ts';
export { addEventToTotals, conversationTotals, emptyTotals, sumTotals } from './domain/totals.ts';
export { statsFromHead, statsFromSegments } from './domain/sessionStats.ts';
export { CHAIN_IDS, readChainEnds } from './session/conversationOps.ts';
export type { StatsOptions } from './domain/sessionStats.ts';
export { DexieSessionStore } from './storage/dexieSessionStore.ts';
export type { DexieSessionStoreOptions } from './storage/dexieSessionStore.ts';
export { MemorySessionStore } from './storage/memorySessionStore.ts';
export { getDefaultStore, setDefaultStore } from './storage/defaultStore.ts';
export { SCHEMA_VERSION } from './storage/sessionDatabase.ts';
export type { Tombstone } from './storage/sessionDatabase.ts';
export type { LockManagerLike } from './storage/rolloverLock.ts';
export { openSessionStore } from './storage/openSessionStore.ts';
export type { OpenedSessionStore, OpenSessionStoreOptions } from './storage/openSessionStore.ts';
export { getStorageEstimate, requestPersistentStorage } from './storage/storageQuota.ts';
export type { StorageEstimate } from './storage/storageQuota.ts';
export type {
  AppendOptions,
  AppendResult,
  ChainEnds,
  ConversationSummary,
  EventPatch,
  EventRange,
  ListConversationsOptions,
  Observer,
  PatchSessionOptions,
  RolloverLimits,
  RolloverRequest,
  RolloverResult,
  SessionChange,
  SessionStore,
  UpdateEventOptions,
} from './storage/sessionStore.ts';
export type { PathOptions } from './domain/transcript.ts';
export type { TurnStatus } from './domain/types.ts';
export type {
  FilePart,
  MessagePart,
  ProviderMetadata,
  ReasoningPart,
  SourceDocumentPart,
  SourceUrlPart,
  TextPart,
} from './domain/messageParts.ts';
export type { Alternatives, EditMessageOptions, EditResult } from './branches/branchActions.ts';
export type { BeginResponseOptions } from './streaming/replyActions.ts';
export type { ReplyStatus } from './domain/replyStatus.ts';
export type {
  AbortResponseOptions,
  FinishResponseOptions,
  ResponseStatus,
  ResponseStream,
  StreamTiming,
} from './streaming/responseStream.ts';
export {
  countChatTokens,
  countTokens,
  countTokensBatch,
  countTokensSync,
  encodingForModel,
  loadTokenizer,
  setTokenizerWorker,
  tokenCountSource,
  tokenizerReady,
} from './tokens/index.ts';
export type { TokenEncoding, TokenizerWorkerFactory } from './tokens/index.ts';
export { estimateCost, getContextWindow, registerModel, unregisterModel } from './pricing/index.ts';
export type { CostQuery, ModelDefinition } from './pricing/index.ts';
export type { SessionRun } from './runs/sessionRun.ts';
export { RunStateError, runDuration } from './runs/runRecord.ts';
export type { RunRecord, RunStats, RunStatus, RunTokenUsage } from './runs/runRecord.ts';
export { buildPrompt } from './prompt/buildPrompt.ts';
export type { ContextUsage } from './prompt/contextUsage.ts';
export type { BuildPromptOptions } from './prompt/buildPrompt.ts';
export type { PromptStrategy } from './prompt/promptStrategies.ts';
export { truncatePromptToTokenLimit } from './prompt/truncatePrompt.ts';
export type { TruncateOptions } from './prompt/truncatePrompt.ts';
export { SessionAwareToolProcessor } from './tools/sessionAwareToolProcessor.ts';
export type {
  AssistantToolMessage,
  OpenAIToolCall,
  SessionAwareToolProcessorOptions,
  ToolFunction,
  ToolResultMessage,
} from './tools/sessionAwareToolProcessor.ts';
export { BoundedCache } from './tools/boundedCache.ts';
export {
  getConversationHistory,
  getSessionStats,
  quickConversation,
  trackConversation,
  trackInfiniteConversation,
  trackLLMCall,
  trackToolUse,
} from './session/convenience.ts';
export type {
  ConversationTurnInput,
  LLMFunction,
  ReadOptions,
  TrackInfiniteResult,
  TrackLLMCallResult,
  TrackOptions,
} from './session/convenience.ts';
export type { LLMResponseParts } from './interop/llmResponse.ts';
export { exportConversation } from './interop/exportConversation.ts';
export type { ExportOptions } from './interop/exportConversation.ts';
export { importConversation } from './interop/importConversation.ts';
export type { ImportOptions, ImportResult } from './interop/importConversation.ts';
export { CONVERSATION_FORMAT, CONVERSATION_VERSION } from './interop/conversationDocument.ts';
export type { ConversationDocument } from './interop/conversationDocument.ts';
export type { ToConverterOptions } from './interop/transcriptItems.ts';
export type { FromConverterOptions } from './interop/recordTranscript.ts';
export { fromOpenAIMessages, toOpenAIMessages } from './interop/openaiMessages.ts';
export type {
  OpenAIChatMessage,
  OpenAIMessageInput,
  OpenAIMessageToolCall,
} from './interop/openaiMessages.ts';
export { fromAnthropicMessages, toAnthropicMessages } from './interop/anthropicMessages.ts';
export type {
  AnthropicContentBlock,
  AnthropicConversation,
  AnthropicConversationInput,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './interop/anthropicMessages.ts';
export { fromUIMessages, toUIMessages } from './interop/uiMessages.ts';
export type {
  UIDataPart,
  UIDynamicToolPart,
  UIFilePart,
  UIMessage,
  UIMessagePart,
  UIProviderMetadata,
  UIReasoningPart,
  UISourceDocumentPart,
  UISourceUrlPart,
  UIStepStartPart,
  UITextPart,
  UIToolPart,
  UIToolState,
} from './interop/uiMessageTypes.ts';
export type { UIMessageInput } from './interop/uiMessages.ts';
