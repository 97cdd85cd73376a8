// React entry: `useSessionChat`, useChat on a stored conversation (needs @ai-sdk/react and react).
export { useSessionChat } from './useSessionChat.ts';
export type { UseSessionChatHelpers, UseSessionChatOptions } from './useSessionChat.ts';
