// Implementations loaded on first use, through one dynamic import: an app that never starts a
// run, runs tool calls, builds a strategy prompt or reads a foreign transcript does not download
// them, and sharing one chunk keeps what they have in common with the main bundle in one place.
// (Import validation is separate: it brings zod.)
export { readAnthropicTranscript } from './interop/readAnthropicTranscript.ts';
export { readOpenAITranscript } from './interop/readOpenAITranscript.ts';
export { readUITranscript } from './interop/readUITranscript.ts';
export { recordTranscript } from './interop/recordTranscript.ts';
export { readLLMResponse } from './interop/llmResponse.ts';
export { buildPromptFrom } from './prompt/promptBuilder.ts';
export { newestMessagesWithin } from './prompt/newestMessages.ts';
export { contextUsageOf } from './prompt/contextUsage.ts';
export { truncateMessages } from './prompt/promptTruncation.ts';
export { SessionRun } from './runs/sessionRun.ts';
export { processToolMessage } from './tools/toolMessageProcessing.ts';
// Rollovers (summarize, lock, new segment) and MemorySessionStore's implementation.
export { rollOver } from './session/rollover.ts';
export { MemoryStoreImpl } from './storage/memoryStoreImpl.ts';
export {
  dexieDeleteConversation,
  dexieImportRecords,
  dexieRollover,
  dexieUpdateSession,
} from './storage/dexieConversationWrites.ts';
export { toStoreError, unavailable } from './storage/storeErrors.ts';
export { openStoreWith } from './storage/openStoreWith.ts';
export { readConversationDocument } from './interop/conversationExport.ts';
export { importDocument } from './interop/conversationImport.ts';
export { withNewIds } from './interop/withNewIds.ts';
export { mergeMetadata, readChainEnds } from './session/conversationOps.ts';
