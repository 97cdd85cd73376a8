import type { ChatMessage, ProviderUsage } from '@ai-session-manager/core';

/** One tool call made while answering, recorded with `toolUsed`. */
export interface ToolCallRecord {
  toolCallId: string;
  name: string;
  arguments: unknown;
  result: unknown;
  error: string | null;
}

export interface ResponderRequest {
  /** The user's message being answered. */
  text: string;
  /** What the model sees: system prompt, summary of earlier segments, current segment's turns. */
  history: ChatMessage[];
  signal?: AbortSignal;
}

export interface ResponderReply {
  text: string;
  toolCalls: ToolCallRecord[];
  model: string;
  provider: string;
  /** Token counts reported by the provider, when it reports them. */
  usage?: ProviderUsage;
}

/** Something that answers a user message: the built-in local responder or an OpenAI-compatible endpoint. */
export interface Responder {
  readonly model: string;
  readonly provider: string;
  respond(request: ResponderRequest): Promise<ResponderReply>;
  /** Writes the summary when a segment rolls over; without it, core's built-in summary is used. */
  summarize?(messages: ChatMessage[], previousSummary?: string): Promise<string>;
}
