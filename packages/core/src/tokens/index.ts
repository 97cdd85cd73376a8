export type { TokenEncoding } from './tokenEncoding';
export { encodingForModel, tokenCountSource } from './encodingForModel';
export type { ChatTokenMessage } from './tokenCounter';
export {
  countChatTokens,
  countTokens,
  countTokensBatch,
  countTokensSync,
  DEFAULT_TOKEN_MODEL,
  loadTokenizer,
  setTokenizerWorker,
  TOKENS_PER_MESSAGE,
  TOKENS_REPLY_PRIMING,
} from './tokenCounter';
export type { TokenizerWorkerFactory } from './tokenWorkerClient';
