export type { TokenEncoding } from './tokenEncoding';
export { encodingForModel, tokenCountSource } from './encodingForModel';
export type { ChatTokenMessage } from './tokenCounter';
export {
  countChatTokens,
  countTokens,
  countTokensSync,
  DEFAULT_TOKEN_MODEL,
  loadTokenizer,
  TOKENS_PER_MESSAGE,
  TOKENS_REPLY_PRIMING,
} from './tokenCounter';
