// One-call helpers for the common cases (upstream's module-level functions). Each makes its own
// SessionManager from the options (store, sessionId to continue a conversation, thresholds…).
import { InvalidInputError } from '../domain/errors.ts';
import type { ProviderUsage } from '../domain/providerUsage.ts';
import type { SessionStats, Turn } from '../domain/types.ts';
import { assertString, objectArg } from '../domain/validate.ts';
import { readLLMResponse } from '../interop/llmResponse.ts';
import type { AiRespondsOptions, SessionManagerOptions } from './managerOptions.ts';
import { SessionManager } from './sessionManager.ts';

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
  opts?: TrackOptions,
): Promise<string> {
  const options = objectArg<TrackOptions>(opts, 'options');
  return (await recordTurn(userMessage, aiResponse, options)).sessionId;
}

/** As trackConversation, resolving to the conversation's stats. */
export async function quickConversation(
  userMessage: string,
  aiResponse: string,
  opts?: TrackOptions,
): Promise<SessionStats> {
  const options = objectArg<TrackOptions>(opts, 'options');
  return (await recordTurn(userMessage, aiResponse, options)).getStats();
}

/**
 * Record the user input, call `llmFn(userInput, manager)` (sync or async), and record its answer:
 * a string, an object with `.content`, or an OpenAI chat completion, whose `usage` and `model`
 * are recorded as the provider's. Resolves to `{ response, raw, content, sessionId }`: `response`
 * (and `content`) the recorded text, `raw` what llmFn returned. If llmFn throws, the user message stays recorded and the error propagates.
 */
export async function trackLLMCall<R>(
  userInput: string,
  llmFn: LLMFunction<R>,
  opts?: TrackOptions,
): Promise<TrackLLMCallResult<R>> {
  const options = objectArg<TrackOptions>(opts, 'options');
  assertString(userInput, 'userInput');
  if (typeof llmFn !== 'function') throw new InvalidInputError('llmFn must be a function.', 'llmFn');
  const { model, provider, usage, ...managerOptions } = options;
  const manager = new SessionManager(managerOptions);
  await manager.userSays(userInput);
  const response = await llmFn(userInput, manager);
  const parts = readLLMResponse(response);
  const reported = parts.model ?? model;
  await manager.aiResponds(parts.content, respondOptions(reported, provider, parts.usage ?? usage));
  return { response: parts.content, raw: response, content: parts.content, sessionId: manager.sessionId };
}

/**
 * Record several turns with infinite context on (rolling over into summarized segments at the
 * thresholds). Pass `sessionId` (any segment's) to continue a conversation.
 */
export async function trackInfiniteConversation(
  turns: ConversationTurnInput | readonly ConversationTurnInput[],
  opts?: Omit<TrackOptions, 'infiniteContext'>,
): Promise<TrackInfiniteResult> {
  const options = objectArg<Omit<TrackOptions, 'infiniteContext'>>(opts, 'options');
  const list = Array.isArray(turns) ? turns : [turns as ConversationTurnInput];
  list.forEach((t, i) => {
    assertString(t?.user, `turns[${i}].user`);
    assertString(t.ai, `turns[${i}].ai`);
  });
  const { model, provider, usage, ...managerOptions } = options;
  const manager = new SessionManager({ ...managerOptions, infiniteContext: true });
  for (const t of list) {
    await manager.userSays(t.user);
    await manager.aiResponds(
      t.ai,
      respondOptions(t.model ?? model, t.provider ?? provider, t.usage ?? usage),
    );
  }
  const sessionChain = await manager.getSessionChain();
  return { sessionId: manager.sessionId, conversationId: manager.conversationId, sessionChain };
}

/** Record one tool call. Resolves to the segment id written to. */
export async function trackToolUse(
  toolName: string,
  args: unknown,
  result: unknown,
  opts?: SessionManagerOptions & { error?: string | null; toolCallId?: string },
): Promise<string> {
  const options = objectArg<SessionManagerOptions & { error?: string | null; toolCallId?: string }>(
    opts,
    'options',
  );
  const { error, toolCallId, ...managerOptions } = options;
  const manager = new SessionManager(managerOptions);
  return manager.toolUsed(toolName, args, result, {
    ...(error === undefined ? {} : { error }),
    ...(toolCallId === undefined ? {} : { toolCallId }),
  });
}

/** Stats of a stored conversation (any of its segment ids); SessionNotFoundError if absent. */
export async function getSessionStats(id: string, opts?: ReadOptions): Promise<SessionStats> {
  const options = objectArg<ReadOptions>(opts, 'options');
  const { includeAllSegments = true, ...managerOptions } = options;
  return (await SessionManager.open(id, managerOptions)).getStats({ includeAllSegments });
}

/** The user and assistant messages of a stored conversation, oldest first; SessionNotFoundError if absent. */
export async function getConversationHistory(id: string, opts?: ReadOptions): Promise<Turn[]> {
  const options = objectArg<ReadOptions>(opts, 'options');
  const { includeAllSegments = true, ...managerOptions } = options;
  return (await SessionManager.open(id, managerOptions)).getConversation({ includeAllSegments });
}

async function recordTurn(
  userMessage: string,
  aiResponse: string,
  options: TrackOptions,
): Promise<SessionManager> {
  // Both checked first, so a bad response does not leave a lone user message behind.
  assertString(userMessage, 'userMessage');
  assertString(aiResponse, 'aiResponse');
  const { model, provider, usage, ...managerOptions } = options;
  const manager = new SessionManager(managerOptions);
  await manager.userSays(userMessage);
  await manager.aiResponds(aiResponse, respondOptions(model, provider, usage));
  return manager;
}

function respondOptions(model?: string, provider?: string, usage?: ProviderUsage): AiRespondsOptions {
  const options: AiRespondsOptions = {};
  if (model !== undefined) options.model = model;
  if (provider !== undefined) options.provider = provider;
  if (usage !== undefined) options.usage = usage;
  return options;
}
