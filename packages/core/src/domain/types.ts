import type { MessagePart } from './messageParts.ts';

/** Who produced an event. */
export const EventSource = { USER: 'user', LLM: 'llm', SYSTEM: 'system' } as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

/** What an event is. */
export const EventType = {
  MESSAGE: 'message',
  SUMMARY: 'summary',
  TOOL_CALL: 'tool_call',
  REFERENCE: 'reference',
  CONTEXT_BRIDGE: 'context_bridge',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  model: string;
  /** null when the model's price is unknown. */
  estimatedCostUsd: number | null;
  /** exact tokenizer / heuristic / reported by the API */
  source: 'counted' | 'estimated' | 'provider';
  /**
   * Counted tokens of the event's own text: what it occupies in the context window. The
   * other figures are what was billed (the provider's usage when given). Absent on events
   * written before schema v2; readers then take `totalTokens`.
   */
  contextTokens?: number;
  /** Of `promptTokens`, read from the provider's prompt cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`). Only when reported. */
  cachedPromptTokens?: number;
  /** Of `promptTokens`, written to the prompt cache (Anthropic `cache_creation_input_tokens`). Only when reported. */
  cacheWriteTokens?: number;
  /** Of `completionTokens`, spent on reasoning (OpenAI `reasoning_tokens`). Only when reported. */
  reasoningTokens?: number;
  /**
   * The text is not counted yet: the message was stored before the tokenizer had loaded, so it
   * is durable at once. Counted figures read 0 (billed ones are as reported) until the count is
   * filled in, with the totals, in one transaction; a reload finishes what a closed tab left.
   */
  pending?: true;
  /**
   * Of contextTokens, those of the message's images and documents (by the provider's rule for the
   * model, from each image's size). Only when it has some.
   */
  mediaTokens?: number;
  /** `mediaTokens` is an estimate: the model's rule is not known, or a file's size could not be read. */
  mediaEstimated?: true;
}

/** The token kinds a provider may report beside prompt and completion; summed in totals and stats. */
export const TOKEN_KINDS = ['cachedPromptTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;

export interface SessionEvent<M = unknown> {
  id: string;
  sessionId: string;
  /** 0, 1, 2… per segment, no gaps. */
  seq: number;
  /** ISO 8601 UTC. */
  timestamp: string;
  source: EventSource;
  type: EventType;
  message: M;
  /** The caller's own: nothing in it changes counting, the active path, leases or rollovers. */
  metadata: Record<string, unknown>;
  tokenUsage?: TokenUsage;
  parentEventId?: string;
  taskId?: string;
  /** The library's record of a reply written over time (beginResponse); absent on a message written whole. */
  reply?: ReplyState;
  /** Where this message sits in the branch tree, when not simply after the message stored before it. */
  branch?: BranchLink;
  /**
   * The message's parts as its UI library gave them, in order and whole (reasoning, files, sources,
   * data parts, the tool part a TOOL_CALL event records…): read back exactly. `message` keeps the
   * plain text, which is what is counted, summarized and searched. Absent: the text is all there is.
   */
  parts?: MessagePart[];
}

/**
 * A streamed reply's state, kept by the library apart from the caller's metadata (schema v4;
 * older rows held these keys in `metadata` and are moved on upgrade and on import).
 */
export interface ReplyState {
  /** 'streaming' while written; a streaming reply whose lease ran out reads as 'interrupted'. */
  status: 'streaming' | 'complete' | 'aborted' | 'discarded';
  /** While streaming: the writer keeps the reply live until this time (epoch ms) by renewing it. */
  leaseUntil?: number;
  /** While streaming: the handle that holds the lease (a takeover names a new one). */
  owner?: string;
  /** Why an aborted reply ended early (stopped, the stream's error). */
  abortReason?: string;
  /** When it was finished or aborted (ISO 8601 UTC). */
  finishedAt?: string;
}

/** A message's place in the branch tree (regenerate, edit, a message after choosing an older branch). */
export interface BranchLink {
  /** The first version's id: every version of one message names it (the first names none). */
  versionOf?: string;
  /** The message this one follows; null at the start of the conversation. */
  parent?: string | null;
}

/** An event before the store assigns its segment and seq. */
export type EventDraft<M = unknown> = Omit<SessionEvent<M>, 'sessionId' | 'seq'>;

export interface SessionTotals {
  events: number;
  messages: number;
  userMessages: number;
  aiMessages: number;
  toolCalls: number;
  summaries: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimatedCostUsd: number;
  /** Sum of the events' `contextTokens`: what the segment occupies in the context window. */
  contextTokens: number;
  /**
   * Sums of the events' token kinds (see TokenUsage). Rows written before they existed lack them:
   * read as 0 (no event then carried them).
   */
  cachedPromptTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /**
   * Of totalTokens, those of events with no price (`estimatedCostUsd: null`: the model is
   * unknown or not in the catalog); estimatedCostUsd leaves them out. Rows written before it
   * existed lack it: read as 0.
   */
  unpricedTokens?: number;
}

/** One row per segment of a conversation. */
export interface Session {
  id: string;
  parentId: string | null;
  /** Conversation id: id of the first segment, stable across segments. */
  rootId: string;
  /** 0 for the root, +1 per rollover. */
  segmentIndex: number;
  systemPrompt?: string;
  metadata: Record<string, unknown>;
  state: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  totals: SessionTotals;
  /**
   * On the head segment only: the sum of every earlier segment's totals, so conversation totals
   * are `priorTotals + totals` (one row). Written in the rollover transaction.
   */
  priorTotals?: SessionTotals;
  /**
   * On the head segment only: the conversation's last update (indexed with rootId, so heads
   * list newest first through one sparse index). Moved to the new head in the rollover transaction.
   */
  headAt?: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  [key: string]: unknown;
}

/** A user or assistant message as shown in a transcript. */
export interface Turn {
  role: 'user' | 'assistant';
  content: string;
  timestamp: string;
  sessionId: string;
  eventId: string;
  model?: string;
  provider?: string;
  /** 'streaming' while a reply is being written; 'interrupted' when its writer stopped renewing its lease. */
  status: TurnStatus;
  /** Where this message has versions (regenerated or edited): which one this is (0-based) of how many. */
  alternatives?: { index: number; count: number };
}

export type TurnStatus = 'complete' | 'streaming' | 'aborted' | 'interrupted';

export interface SessionStats {
  sessionId: string;
  conversationId: string;
  sessionSegments: number;
  /**
   * Segment ids, oldest first, ending with the head's: every one up to CHAIN_IDS (100) segments,
   * else the newest CHAIN_IDS (stats cost the same at any length); `getSessionChain()` lists all.
   */
  sessionChain: string[];
  totalMessages: number;
  totalEvents: number;
  userMessages: number;
  aiMessages: number;
  toolCalls: number;
  summaries: number;
  totalTokens: number;
  promptTokens: number;
  completionTokens: number;
  estimatedCost: number;
  /** Tokens the included segments occupy in the context window (what the rollover threshold measures). */
  contextTokens: number;
  /** Of promptTokens, read from / written to provider prompt caches; of completionTokens, reasoning. */
  cachedPromptTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Of totalTokens, those with no price (unknown model): estimatedCost does not include them. */
  unpricedTokens: number;
  createdAt: string;
  lastUpdate: string;
  infiniteContext: boolean;
}

/** The payload of a TOOL_CALL event. */
export interface ToolCallMessage {
  tool: string;
  arguments: unknown;
  result: unknown;
  error: string | null;
  toolCallId?: string;
}
