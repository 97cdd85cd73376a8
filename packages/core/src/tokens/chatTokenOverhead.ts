/*
 * Per-message overhead from OpenAI's cookbook ("How to count tokens with tiktoken"), valid for
 * gpt-3.5-turbo-0613 onwards, gpt-4 and gpt-4o: every message costs 3 tokens plus its role and
 * content (a `name` adds 1 more plus its own tokens), and every reply is primed with 3 tokens
 * (<|start|>assistant<|message|>).
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const TOKENS_REPLY_PRIMING = 3;
