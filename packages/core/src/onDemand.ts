// Implementations loaded on first use, through one dynamic import: an app that never starts a
// run, runs tool calls, builds a strategy prompt or reads a foreign transcript does not download
// them, and sharing one chunk keeps what they have in common with the main bundle in one place.
// (Import validation is separate: it brings zod.)
export { readAnthropicTranscript } from './interop/readAnthropicTranscript';
export { readOpenAITranscript } from './interop/readOpenAITranscript';
export { readUITranscript } from './interop/readUITranscript';
export { recordTranscript } from './interop/recordTranscript';
export { readLLMResponse } from './llmResponse';
export { buildPromptFrom } from './prompt/promptBuilder';
export { newestMessagesWithin } from './prompt/newestMessages';
export { contextUsageOf } from './prompt/contextUsage';
export { truncateMessages } from './prompt/promptTruncation';
export { SessionRun } from './runs/sessionRun';
export { processToolMessage } from './tools/toolMessageProcessing';
// Rollovers (summarize, lock, new segment) and MemorySessionStore's implementation.
export { rollOver } from './rollover';
export { MemoryStoreImpl } from './storage/memoryStoreImpl';
export {
  dexieDeleteConversation,
  dexieImportRecords,
  dexieRollover,
  dexieUpdateSession,
} from './storage/dexieConversationWrites';
export { toStoreError, unavailable } from './storage/storeErrors';
export { openStoreWith } from './storage/openStoreWith';
export { readConversationDocument } from './interop/conversationExport';
export { importDocument } from './interop/conversationImport';
export { withNewIds } from './interop/withNewIds';
export { mergeMetadata, readChainEnds } from './conversationOps';
