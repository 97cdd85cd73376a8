// One-call helpers for the common cases (upstream's module-level functions). Each makes its own
// SessionManager from the options (store, sessionId to continue a conversation, thresholds…).
// The implementations (convenienceCalls.ts) load on first call, so apps that never use them
// do not download them up front.
import { type ProviderUsage, SessionManager, type SessionManagerOptions } from './sessionManager.ts';
import type { SessionStats, Turn } from '../domain/types.ts';

const load = async () => (await import('./convenienceCalls.ts')).convenienceCalls(SessionManager);

export interface TrackOptions extends SessionManagerOptions {
  /** Model that produced the AI response; default: defaultModel. */
  model?: string;
  provider?: string;
  /** Provider-reported token counts for the AI response. */
  usage?: ProviderUsage;
}

export interface ConversationTurnInput {
  user: string;
  ai: string;
  model?: string;
  provider?: string;
  usage?: ProviderUsage;
}

export interface TrackInfiniteResult {
  /** The newest segment, where the conversation continues. */
  sessionId: string;
  conversationId: string;
  /** Segment ids, root first. */
  sessionChain: string[];
}

export interface TrackLLMCallResult<R> {
  /** The text recorded as the AI response (upstream's track_llm_call returns it with the session id). */
  response: string;
  /** What the LLM function returned, unchanged. */
  raw: R;
  /** The same text as `response`. */
  content: string;
  sessionId: string;
}

export type LLMFunction<R> = (userInput: string, manager: SessionManager) => R | Promise<R>;

export interface ReadOptions extends Omit<SessionManagerOptions, 'sessionId'> {
  /** Default true: a stored conversation is read whole, every segment. */
  includeAllSegments?: boolean;
}

/** Record one user message and the AI's response. Resolves to the segment id written to. */
export async function trackConversation(
  userMessage: string,
  aiResponse: string,
  options?: TrackOptions,
): Promise<string> {
  return (await load()).trackConversation(userMessage, aiResponse, options);
}

/** As trackConversation, resolving to the conversation's stats. */
export async function quickConversation(
  userMessage: string,
  aiResponse: string,
  options?: TrackOptions,
): Promise<SessionStats> {
  return (await load()).quickConversation(userMessage, aiResponse, options);
}

/**
 * Record the user input, call `llmFn(userInput, manager)` (sync or async), and record its answer:
 * a string, an object with `.content`, or an OpenAI chat completion, whose `usage` and `model`
 * are recorded as the provider's. Resolves to `{ response, raw, content, sessionId }`: `response`
 * (and `content`) the recorded text, `raw` what llmFn returned. If llmFn throws, the user message
 * stays recorded and the error propagates.
 */
export async function trackLLMCall<R>(
  userInput: string,
  llmFn: LLMFunction<R>,
  options?: TrackOptions,
): Promise<TrackLLMCallResult<R>> {
  return (await load()).trackLLMCall(userInput, llmFn, options);
}

/**
 * Record several turns with infinite context on (rolling over into summarized segments at the
 * thresholds). Pass `sessionId` (any segment's) to continue a conversation.
 */
export async function trackInfiniteConversation(
  turns: ConversationTurnInput | readonly ConversationTurnInput[],
  options?: Omit<TrackOptions, 'infiniteContext'>,
): Promise<TrackInfiniteResult> {
  return (await load()).trackInfiniteConversation(turns, options);
}

/** Record one tool call. Resolves to the segment id written to. */
export async function trackToolUse(
  toolName: string,
  args: unknown,
  result: unknown,
  options?: SessionManagerOptions & { error?: string | null; toolCallId?: string },
): Promise<string> {
  return (await load()).trackToolUse(toolName, args, result, options);
}

/** Stats of a stored conversation (any of its segment ids); SessionNotFoundError if absent. */
export async function getSessionStats(id: string, options?: ReadOptions): Promise<SessionStats> {
  return (await load()).getSessionStats(id, options);
}

/** The user and assistant messages of a stored conversation, oldest first; SessionNotFoundError if absent. */
export async function getConversationHistory(id: string, options?: ReadOptions): Promise<Turn[]> {
  return (await load()).getConversationHistory(id, options);
}
