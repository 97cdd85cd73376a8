import type { ChatMessage, FilePart, ProviderUsage } from '@ai-session-manager/core';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { type CalculatorArgs, calculate } from './calculator';
import { badResponse, EndpointError, fetchError, httpError } from './endpointError';
import type { Responder, ResponderChunk, ResponderRequest, ToolCallRecord } from './responder';
import { scrubSecrets } from './scrubSecrets';
import { createSecretFilter } from './scrubStream';

/** Where to send chat completions. Held in memory only: never written to storage. */
export interface OpenAIConfig {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 */
  baseUrl: string;
  model: string;
  apiKey: string;
}

interface CompletionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

interface CompletionUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

interface CompletionResponse {
  choices?: { message?: { content?: string | null; tool_calls?: CompletionToolCall[] } }[];
  usage?: CompletionUsage;
  error?: { message?: string };
}

/** One `data:` event of a streamed completion (`stream: true`). */
interface CompletionChunk {
  choices?: {
    delta?: {
      content?: string | null;
      /** Reasoning as OpenAI-compatible servers stream it (llama.cpp, vLLM, DeepSeek; `reasoning` on some). */
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
    };
  }[];
  /** Sent in the last chunk (with no choices) when asked with `stream_options.include_usage`. */
  usage?: CompletionUsage | null;
  error?: { message?: string };
}

/** What one round of a completion produced, streamed or not. */
interface Round {
  content: string;
  toolCalls: CompletionToolCall[];
  usage?: CompletionUsage;
}

const CALCULATOR_TOOL = {
  type: 'function',
  function: {
    name: 'calculator',
    description: 'Evaluate an arithmetic expression (+ - * / % ^ and parentheses).',
    parameters: {
      type: 'object',
      properties: { expression: { type: 'string', description: 'e.g. (3 + 4) * 12' } },
      required: ['expression'],
    },
  },
} as const;

/** At most this many rounds of tool calls before the model must answer. */
const MAX_TOOL_ROUNDS = 3;

/** Answers through an OpenAI-compatible `/chat/completions` endpoint, offering it the calculator tool. */
export function createOpenAIResponder(config: OpenAIConfig): Responder {
  const url = `${config.baseUrl.trim().replace(/\/+$/, '')}/chat/completions`;
  return {
    model: config.model,
    provider: 'openai-compatible',
    secrets: [config.apiKey],
    async *stream(request: ResponderRequest): AsyncGenerator<ResponderChunk> {
      const messages: ChatMessage[] = withFiles(request.history, request.files);
      const usage = {
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        cachedPromptTokens: 0,
        reasoningTokens: 0,
      };
      let reported = false;
      // Endpoint text is scrubbed before it is stored or shown, even a model's own words.
      const filter = createSecretFilter([config.apiKey]);
      const thoughts = createSecretFilter([config.apiKey]);
      for (let round = 0; ; round++) {
        const offerTools = round < MAX_TOOL_ROUNDS;
        const response = await open(url, config, messages, offerTools, request.signal);
        const result: Round = { content: '', toolCalls: [] };
        for await (const piece of readRound(url, config, response, result)) {
          const clean = (piece.reasoning ? thoughts : filter).push(piece.delta);
          if (clean) yield { kind: piece.reasoning ? 'reasoning' : 'text', delta: clean };
        }
        if (result.usage) {
          reported = true;
          usage.promptTokens += result.usage.prompt_tokens ?? 0;
          usage.completionTokens += result.usage.completion_tokens ?? 0;
          usage.totalTokens += result.usage.total_tokens ?? 0;
          // Prompt caching and reasoning models report these details; they are priced and shown.
          usage.cachedPromptTokens += result.usage.prompt_tokens_details?.cached_tokens ?? 0;
          usage.reasoningTokens += result.usage.completion_tokens_details?.reasoning_tokens ?? 0;
        }
        if (result.toolCalls.length === 0 || !offerTools) break;
        messages.push({ role: 'assistant', content: result.content, tool_calls: result.toolCalls });
        for (const call of result.toolCalls) {
          const record = runTool(call);
          yield { kind: 'tool', call: record };
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(record.result) });
        }
      }
      const thought = thoughts.end();
      if (thought) yield { kind: 'reasoning', delta: thought };
      const rest = filter.end();
      if (rest) yield { kind: 'text', delta: rest };
      if (reported) yield { kind: 'usage', usage: usage satisfies ProviderUsage };
    },
    async summarize(messages: ChatMessage[], previousSummary?: string): Promise<string> {
      try {
        return await summarizeWith(url, config, messages, previousSummary);
      } catch (error) {
        // Core stores the message as the summary event's `summaryError`: never with the key in it.
        if (error instanceof EndpointError) throw error;
        throw new Error(
          scrubSecrets(error instanceof Error ? error.message : String(error), [config.apiKey]),
        );
      }
    },
  };
}

async function summarizeWith(
  url: string,
  config: OpenAIConfig,
  messages: ChatMessage[],
  previousSummary: string | undefined,
): Promise<string> {
  const transcript = messages.map((m) => `${m.role}: ${m.content}`).join('\n');
  const prompt: ChatMessage[] = [
    {
      role: 'system',
      content:
        'Summarize the conversation below for the assistant that continues it: facts, decisions, open ' +
        'questions, in at most 200 words. Fold in the earlier summary if there is one.',
    },
    {
      role: 'user',
      content: `${previousSummary ? `Earlier summary:\n${previousSummary}\n\n` : ''}Conversation:\n${transcript}`,
    },
  ];
  const response = await complete(url, config, prompt, false, undefined);
  const text = response.choices?.[0]?.message?.content?.trim();
  if (!text) throw badResponse(url, 'returned an empty summary');
  return scrubSecrets(text, [config.apiKey]);
}

function runTool(call: CompletionToolCall): ToolCallRecord {
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments);
  } catch {
    args = { raw: call.function.arguments };
  }
  const base = { toolCallId: call.id, name: call.function.name, arguments: args };
  if (call.function.name !== 'calculator') {
    const error = `Unknown tool "${call.function.name}".`;
    return { ...base, result: { error }, error };
  }
  const expression = (args as Partial<CalculatorArgs> | null)?.expression;
  if (typeof expression !== 'string') {
    const error = 'calculator needs a string "expression".';
    return { ...base, result: { error }, error };
  }
  const result = calculate({ expression });
  return { ...base, result, error: 'error' in result ? result.error : null };
}

/**
 * The history with the current message's files as content parts: images as `image_url` (a vision
 * model sees them), other files as `file` with their data URL.
 */
function withFiles(history: readonly ChatMessage[], files: readonly FilePart[] | undefined): ChatMessage[] {
  const messages = [...history];
  const last = messages[messages.length - 1];
  if (!files?.length || last?.role !== 'user') return messages;
  const content = [
    { type: 'text', text: last.content },
    ...files.map((f) =>
      f.mediaType.startsWith('image/')
        ? { type: 'image_url', image_url: { url: f.url } }
        : { type: 'file', file: { file_data: f.url, ...(f.filename ? { filename: f.filename } : {}) } },
    ),
  ];
  // Chat Completions takes content parts; ChatMessage types content as text, hence the cast.
  messages[messages.length - 1] = { ...last, content: content as unknown as string };
  return messages;
}

/** Send one streamed request (`stream: true`, usage in the last chunk); an HTTP error throws. */
async function open(
  url: string,
  config: OpenAIConfig,
  messages: ChatMessage[],
  offerTools: boolean,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const body = {
    model: config.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    ...(offerTools ? { tools: [CALCULATOR_TOOL] } : {}),
  };
  const response = await post(url, config, body, signal);
  if (!response.ok) throw await errorOf(url, config, response);
  return response;
}

/**
 * The text deltas of one round, as they arrive; tool calls (assembled from their pieces) and
 * usage land in `result`. An endpoint that ignores `stream: true` and answers JSON works too.
 */
async function* readRound(
  url: string,
  config: OpenAIConfig,
  response: Response,
  result: Round,
): AsyncGenerator<{ delta: string; reasoning?: true }> {
  const secrets = [config.apiKey];
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
    const json = parseJson(await response.text().catch(() => ''));
    if (!json || typeof json !== 'object') throw badResponse(url, 'answered with something that is not JSON');
    const message = json.choices?.[0]?.message;
    if (!message) throw badResponse(url, 'returned no choices');
    result.toolCalls = message.tool_calls ?? [];
    if (json.usage) result.usage = json.usage;
    result.content = message.content ?? '';
    if (result.content) yield { delta: result.content };
    return;
  }
  const calls: CompletionToolCall[] = [];
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  let sawChunk = false;
  try {
    for (;;) {
      const { done, value } = await events.read();
      if (done || value.data === '[DONE]') break;
      let chunk: CompletionChunk;
      try {
        chunk = JSON.parse(value.data) as CompletionChunk;
      } catch {
        throw badResponse(url, 'streamed an event that is not JSON');
      }
      if (chunk.error) throw httpError(url, 200, chunk.error.message ?? '', secrets);
      sawChunk = true;
      if (chunk.usage) result.usage = chunk.usage;
      const delta = chunk.choices?.[0]?.delta;
      for (const piece of delta?.tool_calls ?? []) {
        const index = piece.index ?? calls.length;
        if (!calls[index]) calls[index] = { id: '', type: 'function', function: { name: '', arguments: '' } };
        const call = calls[index]!;
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.function.name += piece.function.name;
        if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
      }
      const thinking = delta?.reasoning_content ?? delta?.reasoning;
      if (thinking) yield { delta: thinking, reasoning: true };
      if (delta?.content) {
        result.content += delta.content;
        yield { delta: delta.content };
      }
    }
  } catch (error) {
    if (error instanceof EndpointError) throw error;
    // The connection dropped or was stopped mid-answer.
    throw fetchError(url, error, secrets);
  } finally {
    events.releaseLock();
  }
  if (!sawChunk) throw badResponse(url, 'streamed no completion');
  result.toolCalls = calls.filter(Boolean).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
}

function parseJson(raw: string): CompletionResponse | undefined {
  try {
    return JSON.parse(raw) as CompletionResponse;
  } catch {
    return undefined;
  }
}

async function post(
  url: string,
  config: OpenAIConfig,
  body: unknown,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  try {
    return await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: signal ?? null });
  } catch (error) {
    throw fetchError(url, error, [config.apiKey]);
  }
}

/** An HTTP error answer as an EndpointError naming the cause (scrubbed). */
async function errorOf(url: string, config: OpenAIConfig, response: Response): Promise<EndpointError> {
  const raw = await response.text().catch(() => '');
  const detail = parseJson(raw)?.error?.message ?? (raw.slice(0, 300) || response.statusText);
  return httpError(url, response.status, typeof detail === 'string' ? detail : '', [config.apiKey]);
}

/** One non-streamed completion (the rollover summaries). */
async function complete(
  url: string,
  config: OpenAIConfig,
  messages: ChatMessage[],
  offerTools: boolean,
  signal: AbortSignal | undefined,
): Promise<CompletionResponse> {
  const response = await post(
    url,
    config,
    { model: config.model, messages, ...(offerTools ? { tools: [CALCULATOR_TOOL] } : {}) },
    signal,
  );
  if (!response.ok) throw await errorOf(url, config, response);
  const json = parseJson(await response.text().catch(() => ''));
  if (!json || typeof json !== 'object') throw badResponse(url, 'answered with something that is not JSON');
  return json;
}
