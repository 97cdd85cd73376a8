export { createThreadHistoryAdapter, SessionThreadHistoryAdapter } from './historyAdapter.ts';
export type {
  ObservableThread,
  SessionThreadHistoryOptions,
  ThreadBinding,
} from './historyAdapter.ts';
export { ARCHIVED, CUSTOM, sessionThreadListAdapter } from './sessionThreadListAdapter.ts';
export type {
  RemoteThreadMetadata,
  SessionThreadListAdapter,
  SessionThreadListOptions,
} from './sessionThreadListAdapter.ts';
export { useSessionLocalRuntime, useSessionThreadListRuntime } from './useSessionRuntime.ts';
export type {
  UseSessionLocalRuntimeOptions,
  UseSessionThreadListRuntimeOptions,
} from './useSessionRuntime.ts';
export { offlineTitle, titleStream } from './offlineTitle.ts';
export type { TitleStream } from './offlineTitle.ts';
export { threadTree } from './threadTree.ts';
export type { ThreadTree, TreeNode } from './threadTree.ts';
export {
  AUI_MESSAGE_ID,
  AUI_PARENT_ID,
  AUI_PARTS,
  auiIdOf,
  decodeMessage,
  encodeMessage,
} from './messageCodec.ts';
export type { EncodedMessage, StoredPart, ToolUnit } from './messageCodec.ts';
