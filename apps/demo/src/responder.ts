import type { ChatMessage, FilePart, ProviderUsage } from '@ai-session-manager/core';

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
  /** Stops the answer: the stream then throws (an AbortError or the endpoint's "stopped"). */
  signal?: AbortSignal;
  /** Which version of the reply this is (2 for the first regenerate…); absent for a first answer. */
  attempt?: number;
  /** Files attached to the message being answered (images go to a vision model as image parts). */
  files?: FilePart[];
}

/** What an answer streams: text as it is written, each tool call once it ran, usage at the end. */
export type ResponderChunk =
  | { kind: 'text'; delta: string }
  /** A reasoning model's thinking (`reasoning_content`), shown collapsed above the reply and stored with it. */
  | { kind: 'reasoning'; delta: string }
  | { kind: 'tool'; call: ToolCallRecord }
  /** Token counts reported by the provider, when it reports them. */
  | { kind: 'usage'; usage: ProviderUsage };

/** Something that answers a user message: the built-in local responder or an OpenAI-compatible endpoint. */
export interface Responder {
  readonly model: string;
  readonly provider: string;
  /** Secrets the managers' `scrub` removes besides core's patterns (the endpoint's API key). */
  readonly secrets?: readonly string[];
  /** The answer as it is produced. Endpoint text is already scrubbed of secrets. */
  stream(request: ResponderRequest): AsyncIterable<ResponderChunk>;
  /** Writes the summary when a segment rolls over; without it, core's built-in summary is used. */
  summarize?(messages: ChatMessage[], previousSummary?: string): Promise<string>;
}

/** A whole answer, collected from its stream (for tests and non-streaming callers). */
export interface ResponderReply {
  text: string;
  toolCalls: ToolCallRecord[];
  usage?: ProviderUsage;
}

export async function collectReply(chunks: AsyncIterable<ResponderChunk>): Promise<ResponderReply> {
  const reply: ResponderReply = { text: '', toolCalls: [] };
  for await (const chunk of chunks) {
    if (chunk.kind === 'text') reply.text += chunk.delta;
    else if (chunk.kind === 'tool') reply.toolCalls.push(chunk.call);
    else if (chunk.kind === 'usage') reply.usage = chunk.usage;
  }
  return reply;
}

/** Wait `ms`, or reject with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('The answer was stopped.', 'AbortError'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('The answer was stopped.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
