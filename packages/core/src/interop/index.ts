// `@ai-session-manager/core/interop`: conversations in and out — export/import documents (and
// their validation, which brings zod: import this entry where you validate files yourself), and
// the converters to and from OpenAI, Anthropic and AI SDK UI messages. The main entry has the same
// functions but loads the validation only on the first import.
export type { LLMResponseParts } from './llmResponse.ts';
export { exportConversation } from './exportConversation.ts';
export type { ExportOptions } from './exportConversation.ts';
export { importConversation } from './importConversation.ts';
export type { ImportOptions, ImportResult } from './importConversation.ts';
export { validateConversationDocument } from './validateConversationDocument.ts';
export { CONVERSATION_FORMAT, CONVERSATION_VERSION, READABLE_VERSIONS } from './conversationDocument.ts';
export type { ConversationDocument } from './conversationDocument.ts';
export type { ToConverterOptions } from './transcriptItems.ts';
export type { FromConverterOptions } from './recordTranscript.ts';
export { fromOpenAIMessages, toOpenAIMessages } from './openaiMessages.ts';
export type { OpenAIChatMessage, OpenAIMessageInput, OpenAIMessageToolCall } from './openaiMessages.ts';
export { fromAnthropicMessages, toAnthropicMessages } from './anthropicMessages.ts';
export type {
  AnthropicContentBlock,
  AnthropicConversation,
  AnthropicConversationInput,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './anthropicMessages.ts';
export { fromUIMessages, toUIMessages } from './uiMessages.ts';
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
} from './uiMessageTypes.ts';
export type { UIMessageInput } from './uiMessages.ts';
