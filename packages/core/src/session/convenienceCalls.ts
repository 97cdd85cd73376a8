// The one-call helpers' implementations, loaded on first use (see convenience.ts).
import { InvalidInputError } from '../domain/errors.ts';
import type {
  AiRespondsOptions,
  ProviderUsage,
  SessionManager,
  SessionManagerOptions,
} from './sessionManager.ts';
import type { SessionStats, Turn } from '../domain/types.ts';
import type {
  ConversationTurnInput,
  LLMFunction,
  ReadOptions,
  TrackInfiniteResult,
  TrackLLMCallResult,
  TrackOptions,
} from './convenience.ts';
import { assertString, objectArg } from '../domain/validate.ts';

/**
 * The helpers over `Manager` (the SessionManager class, passed in so that this lazily loaded
 * chunk does not import it, which would split the up-front bundle into more chunks).
 */
export function convenienceCalls(Manager: typeof SessionManager) {
  /** Record one user message and the AI's response. Resolves to the segment id written to. */
  async function trackConversation(
    userMessage: string,
    aiResponse: string,
    opts?: TrackOptions,
  ): Promise<string> {
    const options = objectArg<TrackOptions>(opts, 'options');
    return (await recordTurn(userMessage, aiResponse, options)).sessionId;
  }

  /** As trackConversation, resolving to the conversation's stats. */
  async function quickConversation(
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
  async function trackLLMCall<R>(
    userInput: string,
    llmFn: LLMFunction<R>,
    opts?: TrackOptions,
  ): Promise<TrackLLMCallResult<R>> {
    const options = objectArg<TrackOptions>(opts, 'options');
    assertString(userInput, 'userInput');
    if (typeof llmFn !== 'function') throw new InvalidInputError('llmFn must be a function.', 'llmFn');
    const { model, provider, usage, ...managerOptions } = options;
    const manager = new Manager(managerOptions);
    await manager.userSays(userInput);
    const response = await llmFn(userInput, manager);
    const parts = (await import('../onDemand.ts')).readLLMResponse(response);
    const reported = parts.model ?? model;
    await manager.aiResponds(parts.content, respondOptions(reported, provider, parts.usage ?? usage));
    return { response: parts.content, raw: response, content: parts.content, sessionId: manager.sessionId };
  }

  /**
   * Record several turns with infinite context on (rolling over into summarized segments at the
   * thresholds). Pass `sessionId` (any segment's) to continue a conversation.
   */
  async function trackInfiniteConversation(
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
    const manager = new Manager({ ...managerOptions, infiniteContext: true });
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
  async function trackToolUse(
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
    const manager = new Manager(managerOptions);
    return manager.toolUsed(toolName, args, result, {
      ...(error === undefined ? {} : { error }),
      ...(toolCallId === undefined ? {} : { toolCallId }),
    });
  }

  /** Stats of a stored conversation (any of its segment ids); SessionNotFoundError if absent. */
  async function getSessionStats(id: string, opts?: ReadOptions): Promise<SessionStats> {
    const options = objectArg<ReadOptions>(opts, 'options');
    const { includeAllSegments = true, ...managerOptions } = options;
    return (await Manager.open(id, managerOptions)).getStats({ includeAllSegments });
  }

  /** The user and assistant messages of a stored conversation, oldest first; SessionNotFoundError if absent. */
  async function getConversationHistory(id: string, opts?: ReadOptions): Promise<Turn[]> {
    const options = objectArg<ReadOptions>(opts, 'options');
    const { includeAllSegments = true, ...managerOptions } = options;
    return (await Manager.open(id, managerOptions)).getConversation({ includeAllSegments });
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
    const manager = new Manager(managerOptions);
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

  return {
    trackConversation,
    quickConversation,
    trackLLMCall,
    trackInfiniteConversation,
    trackToolUse,
    getSessionStats,
    getConversationHistory,
  };
}
