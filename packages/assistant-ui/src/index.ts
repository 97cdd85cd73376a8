export { createThreadHistoryAdapter, SessionThreadHistoryAdapter } from './historyAdapter';
export type {
  ObservableThread,
  SessionThreadHistoryOptions,
  ThreadBinding,
} from './historyAdapter';
export { ARCHIVED, CUSTOM, sessionThreadListAdapter } from './sessionThreadListAdapter';
export type {
  RemoteThreadMetadata,
  SessionThreadListAdapter,
  SessionThreadListOptions,
} from './sessionThreadListAdapter';
export { useSessionLocalRuntime, useSessionThreadListRuntime } from './useSessionRuntime';
export type { UseSessionLocalRuntimeOptions, UseSessionThreadListRuntimeOptions } from './useSessionRuntime';
export { offlineTitle, titleStream } from './offlineTitle';
export type { TitleStream } from './offlineTitle';
export { threadTree } from './threadTree';
export type { ThreadTree, TreeNode } from './threadTree';
export {
  AUI_MESSAGE_ID,
  AUI_PARENT_ID,
  AUI_PARTS,
  auiIdOf,
  decodeMessage,
  encodeMessage,
} from './messageCodec';
export type { EncodedMessage, StoredPart, ToolUnit } from './messageCodec';
