import { InvalidInputError } from '../domain/errors.ts';
import { parseToolArguments } from '../tools/toolArguments.ts';
import { toJsonValue } from '../domain/jsonValue.ts';
import { assertNonEmptyString, assertString } from '../domain/validate.ts';
import { partsFromOpenAIContent } from './mediaBlocks.ts';
import {
  assistantStep,
  newStepId,
  parseToolOutput,
  type StepMetadata,
  type TranscriptStep,
} from './transcriptSteps.ts';

export interface OpenAIMessageInput {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: unknown;
  refusal?: unknown;
}

/** An OpenAI-format transcript as steps to record, checked in full first (see fromOpenAIMessages). */
export function readOpenAITranscript(messages: readonly OpenAIMessageInput[]): TranscriptStep[] {
  if (!Array.isArray(messages)) throw new InvalidInputError('messages must be an array.', 'messages');
  const steps: TranscriptStep[] = [];
  const pending = new Map<
    string,
    { id: string; name: string; input: unknown; parentEventId?: string; metadata?: StepMetadata }
  >();
  messages.forEach((m, i) => {
    const path = `messages[${i}]`;
    if (!m || typeof m !== 'object') throw new InvalidInputError(`${path} must be an object.`, path);
    switch (m.role) {
      case 'system':
      case 'developer':
        steps.push({ kind: 'system', text: textContent(m.content, `${path}.content`) });
        break;
      case 'user': {
        const parts = partsFromOpenAIContent(m.content);
        steps.push({
          kind: 'user',
          text: textContent(m.content, `${path}.content`),
          ...(parts ? { parts } : {}),
        });
        break;
      }
      case 'assistant': {
        const text = assistantText(m, path);
        const step = text === undefined ? undefined : assistantStep(text.text);
        if (step) {
          if (text!.refusal) step.metadata = { refusal: true };
          steps.push(step);
        }
        // The calls of a step with no text stay one step of their own.
        const link = step ? { parentEventId: step.eventId } : { metadata: { stepId: newStepId() } };
        toolCallsOf(m.tool_calls, `${path}.tool_calls`).forEach((call) => {
          const { custom, ...rest } = call;
          const meta = custom ? { ...link.metadata, toolType: 'custom' as const } : link.metadata;
          pending.set(call.id, { ...rest, ...link, ...(meta ? { metadata: meta } : {}) });
        });
        break;
      }
      case 'tool': {
        assertNonEmptyString(m.tool_call_id, `${path}.tool_call_id`);
        const call = pending.get(m.tool_call_id);
        if (!call) {
          throw new InvalidInputError(
            `${path}.tool_call_id "${m.tool_call_id}" answers no earlier assistant tool call.`,
            `${path}.tool_call_id`,
          );
        }
        pending.delete(m.tool_call_id);
        const output = toJsonValue(
          parseToolOutput(textContent(m.content, `${path}.content`)),
          `${path}.content`,
        );
        const { id: _id, ...rest } = call;
        steps.push({ kind: 'tool', ...rest, output, error: null, toolCallId: m.tool_call_id });
        break;
      }
      default:
        throw new InvalidInputError(
          `${path}.role must be system, developer, user, assistant or tool.`,
          `${path}.role`,
        );
    }
  });
  return steps;
}

function toolCallsOf(
  value: unknown,
  path: string,
): { id: string; name: string; input: unknown; custom: boolean }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(`${path} must be an array.`, path);
  return value.map((call, j) => {
    const at = `${path}[${j}]`;
    const c = call as {
      id?: unknown;
      type?: unknown;
      function?: { name?: unknown; arguments?: unknown };
      custom?: { name?: unknown; input?: unknown };
    } | null;
    assertNonEmptyString(c?.id, `${at}.id`);
    if (c.type === 'custom') {
      // A custom tool's input is free text, kept as it is.
      assertNonEmptyString(c.custom?.name, `${at}.custom.name`);
      assertString(c.custom.input, `${at}.custom.input`);
      return { id: c.id, name: c.custom.name, input: c.custom.input, custom: true };
    }
    assertNonEmptyString(c.function?.name, `${at}.function.name`);
    return {
      id: c.id,
      name: c.function.name,
      input: parseToolArguments(c.function.arguments, `${at}.function.arguments`),
      custom: false,
    };
  });
}

/** An assistant message's text, or its refusal when it has no text; undefined when it has neither. */
function assistantText(m: OpenAIMessageInput, path: string): { text: string; refusal: boolean } | undefined {
  const refusals = Array.isArray(m.content)
    ? m.content
        .filter((p) => p?.type === 'refusal' && typeof p.refusal === 'string')
        .map((p) => p.refusal as string)
    : [];
  const hasText = Array.isArray(m.content)
    ? m.content.some((p) => p?.type === 'text')
    : m.content !== null && m.content !== undefined;
  if (hasText) return { text: textContent(m.content, `${path}.content`), refusal: false };
  if (m.refusal !== undefined && m.refusal !== null) {
    assertString(m.refusal, `${path}.refusal`);
    return { text: m.refusal, refusal: true };
  }
  if (refusals.length) return { text: refusals.join('\n'), refusal: true };
  return Array.isArray(m.content) ? { text: '', refusal: false } : undefined;
}

/** A string, or the text parts of a content-part array joined. */
function textContent(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter((p): p is { type: 'text'; text: string } => p?.type === 'text' && typeof p.text === 'string')
      .map((p) => p.text)
      .join('\n');
  }
  throw new InvalidInputError(`${path} must be a string or an array of content parts.`, path);
}
