import type { ChatMessage, ProviderUsage } from '@ai-session-manager/core';
import { type CalculatorArgs, calculate } from './calculator';
import { badResponse, EndpointError, fetchError, httpError } from './endpointError';
import { scrubSecrets } from './scrubSecrets';
import type { Responder, ResponderReply, ResponderRequest, ToolCallRecord } from './responder';

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

interface CompletionResponse {
  choices?: { message?: { content?: string | null; tool_calls?: CompletionToolCall[] } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
  error?: { message?: string };
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
    async respond(request: ResponderRequest): Promise<ResponderReply> {
      const messages: ChatMessage[] = [...request.history];
      const toolCalls: ToolCallRecord[] = [];
      const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
      let reported = false;
      for (let round = 0; ; round++) {
        const response = await complete(url, config, messages, round < MAX_TOOL_ROUNDS, request.signal);
        if (response.usage) {
          reported = true;
          usage.promptTokens += response.usage.prompt_tokens ?? 0;
          usage.completionTokens += response.usage.completion_tokens ?? 0;
          usage.totalTokens += response.usage.total_tokens ?? 0;
        }
        const message = response.choices?.[0]?.message;
        if (!message) throw badResponse(url, 'returned no choices');
        const calls = message.tool_calls ?? [];
        if (calls.length === 0 || round >= MAX_TOOL_ROUNDS) {
          const reply: ResponderReply = {
            // Endpoint text is scrubbed before it is stored, even a model's own words.
            text: scrubSecrets(message.content ?? '', [config.apiKey]),
            toolCalls,
            model: config.model,
            provider: 'openai-compatible',
          };
          if (reported) reply.usage = usage satisfies ProviderUsage;
          return reply;
        }
        messages.push({ role: 'assistant', content: message.content ?? '', tool_calls: calls });
        for (const call of calls) {
          const record = runTool(call);
          toolCalls.push(record);
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(record.result) });
        }
      }
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

async function complete(
  url: string,
  config: OpenAIConfig,
  messages: ChatMessage[],
  offerTools: boolean,
  signal: AbortSignal | undefined,
): Promise<CompletionResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  const body = { model: config.model, messages, ...(offerTools ? { tools: [CALCULATOR_TOOL] } : {}) };
  const secrets = [config.apiKey];
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (error) {
    throw fetchError(url, error, secrets);
  }
  const raw = await response.text().catch(() => '');
  let json: CompletionResponse | undefined;
  try {
    json = JSON.parse(raw) as CompletionResponse;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const detail = json?.error?.message ?? (raw.slice(0, 300) || response.statusText);
    throw httpError(url, response.status, typeof detail === 'string' ? detail : '', secrets);
  }
  if (!json || typeof json !== 'object') throw badResponse(url, 'answered with something that is not JSON');
  return json;
}
