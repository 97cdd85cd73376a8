import type { StreamChunk } from '@tanstack/ai';
import { type ConnectConnectionAdapter, stream, type UIMessage } from '@tanstack/ai-client';

/** What the scripted model answers to one request. */
export interface ScriptedReply {
  /** Streamed as one TEXT_MESSAGE_CONTENT per word (a word and the space before it). */
  text: string;
  /** A server-side tool call made after the text, with its result, then `after` streamed. */
  tool?: { name: string; input: unknown; output: unknown };
  after?: string;
  usage?: { promptTokens: number; completionTokens: number; totalTokens: number };
  /** Awaited after every `every` deltas (a test flushes and counts writes there). */
  pause?: { every: number; wait: () => Promise<void> };
  /** Never end the run (a tab closed mid-reply): the stream waits here forever. */
  hang?: boolean;
  /** Metadata on TEXT_MESSAGE_END (TanStack merges it into the message: usage, model…). */
  endMetadata?: Record<string, unknown>;
  /** A client tool's call after the text: no result is streamed (the chat runs the tool and continues). */
  clientTool?: { name: string; input: unknown };
  /** Awaited after the tool call (and its result), before the rest of the run. */
  afterTool?: () => Promise<void>;
  /** The model every chunk names, as TanStack AI's `chat()` stamps its chunks. */
  model?: string;
  /** End the run with RUN_ERROR (this message) instead of TEXT_MESSAGE_END and RUN_FINISHED. */
  error?: string;
}

export function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

let counter = 0;

/**
 * A connection in the shape TanStack's own `stream()` adapter takes: an async iterable of AG-UI
 * chunks, as a server running `chat()` sends them (RUN_STARTED, TEXT_MESSAGE_*, TOOL_CALL_*,
 * RUN_FINISHED). `answer` gets the request's messages and says what to stream.
 */
export function scriptedConnection(
  answer: (messages: UIMessage[]) => ScriptedReply,
): ConnectConnectionAdapter & { requests: UIMessage[][]; data: unknown[] } {
  const requests: UIMessage[][] = [];
  const data: unknown[] = [];
  const connection = stream(async function* (messages, sent, abortSignal): AsyncGenerator<StreamChunk> {
    const list = messages as UIMessage[];
    requests.push(list);
    data.push(sent);
    const reply = answer(list);
    for await (const chunk of chunksOf(reply, abortSignal)) {
      yield (reply.model ? { ...chunk, model: reply.model } : chunk) as StreamChunk;
    }
  });
  return Object.assign(connection, { requests, data });
}

/** The chunks of one scripted run. */
async function* chunksOf(
  reply: ScriptedReply,
  abortSignal: AbortSignal | undefined,
): AsyncGenerator<StreamChunk> {
  const runId = `run-${++counter}`;
  const threadId = 'scripted';
  const messageId = `assistant-${counter}`;
  const t = () => Date.now();
  yield { type: 'RUN_STARTED', runId, threadId, timestamp: t() } as StreamChunk;
  yield { type: 'TEXT_MESSAGE_START', messageId, role: 'assistant', timestamp: t() } as StreamChunk;
  let sent = 0;
  for (const delta of words(reply.text)) {
    if (abortSignal?.aborted) return;
    yield { type: 'TEXT_MESSAGE_CONTENT', messageId, delta, timestamp: t() } as StreamChunk;
    sent += 1;
    if (reply.pause && sent % reply.pause.every === 0) await reply.pause.wait();
  }
  if (reply.hang) await new Promise(() => {});
  if (reply.tool) {
    const toolCallId = `call-${counter}`;
    const { name, input, output } = reply.tool;
    yield* toolCall(toolCallId, name, input, messageId);
    yield {
      type: 'TOOL_CALL_RESULT',
      toolCallId,
      messageId: `tool-result-${counter}`,
      content: JSON.stringify(output),
      timestamp: t(),
    } as StreamChunk;
    await reply.afterTool?.();
    for (const delta of words(reply.after ?? '')) {
      if (abortSignal?.aborted) return;
      yield { type: 'TEXT_MESSAGE_CONTENT', messageId, delta, timestamp: t() } as StreamChunk;
    }
  }
  if (reply.clientTool) {
    const toolCallId = `client-call-${counter}`;
    const { name, input } = reply.clientTool;
    yield* toolCall(toolCallId, name, input, messageId);
    // What a server's chat() sends for a tool without a server implementation: the chat runs it.
    yield {
      type: 'CUSTOM',
      name: 'tool-input-available',
      value: { toolCallId, toolName: name, input },
      timestamp: t(),
    } as StreamChunk;
  }
  if (reply.error !== undefined) {
    yield { type: 'RUN_ERROR', runId, message: reply.error, timestamp: t() } as StreamChunk;
    return;
  }
  yield {
    type: 'TEXT_MESSAGE_END',
    messageId,
    ...(reply.endMetadata ? { metadata: reply.endMetadata } : {}),
    timestamp: t(),
  } as StreamChunk;
  yield {
    type: 'RUN_FINISHED',
    runId,
    threadId,
    finishReason: reply.clientTool ? 'tool_calls' : 'stop',
    ...(reply.usage ? { usage: reply.usage } : {}),
    timestamp: t(),
  } as StreamChunk;
}

/** The chunks of one tool call made by the assistant message `messageId`: start, its input, end. */
function toolCall(toolCallId: string, name: string, input: unknown, messageId: string): StreamChunk[] {
  const timestamp = Date.now();
  return [
    { type: 'TOOL_CALL_START', toolCallId, toolCallName: name, parentMessageId: messageId, timestamp },
    { type: 'TOOL_CALL_ARGS', toolCallId, delta: JSON.stringify(input), timestamp },
    { type: 'TOOL_CALL_END', toolCallId, timestamp },
  ] as StreamChunk[];
}
