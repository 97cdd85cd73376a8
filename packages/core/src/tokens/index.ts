export type { TokenEncoding } from './tokenEncoding.ts';
export { encodingForModel, tokenCountSource } from './encodingForModel.ts';
export type { ChatTokenMessage } from './tokenCounter.ts';
export {
  countChatTokens,
  countTokens,
  countTokensBatch,
  countTokensSync,
  DEFAULT_TOKEN_MODEL,
  loadTokenizer,
  setTokenizerWorker,
  tokenizerReady,
  TOKENS_PER_MESSAGE,
  TOKENS_REPLY_PRIMING,
} from './tokenCounter.ts';
export type { TokenizerWorkerFactory } from './tokenWorkerClient.ts';
