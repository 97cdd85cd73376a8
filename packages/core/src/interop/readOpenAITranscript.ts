import { InvalidInputError } from '../errors';
import { parseToolArguments } from '../tools/toolArguments';
import { toJsonValue } from '../jsonValue';
import { assertNonEmptyString, assertString } from '../validate';
import type { OpenAIMessageInput } from './openaiMessages';
import { assistantStep, parseToolOutput, type TranscriptStep } from './transcriptSteps';

/** An OpenAI-format transcript as steps to record, checked in full first (see fromOpenAIMessages). */
export function readOpenAITranscript(messages: readonly OpenAIMessageInput[]): TranscriptStep[] {
  if (!Array.isArray(messages)) throw new InvalidInputError('messages must be an array.', 'messages');
  const steps: TranscriptStep[] = [];
  const pending = new Map<string, { name: string; input: unknown; parentEventId?: string }>();
  messages.forEach((m, i) => {
    const path = `messages[${i}]`;
    if (!m || typeof m !== 'object') throw new InvalidInputError(`${path} must be an object.`, path);
    switch (m.role) {
      case 'system':
      case 'developer':
        steps.push({ kind: 'system', text: textContent(m.content, `${path}.content`) });
        break;
      case 'user':
        steps.push({ kind: 'user', text: textContent(m.content, `${path}.content`) });
        break;
      case 'assistant': {
        const step =
          m.content === null || m.content === undefined
            ? undefined
            : assistantStep(textContent(m.content, `${path}.content`));
        if (step) steps.push(step);
        toolCallsOf(m.tool_calls, `${path}.tool_calls`).forEach((call) => {
          pending.set(call.id, {
            name: call.name,
            input: call.input,
            ...(step ? { parentEventId: step.eventId } : {}),
          });
        });
        break;
      }
      case 'tool': {
        assertString(m.tool_call_id, `${path}.tool_call_id`);
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
        steps.push({ kind: 'tool', ...call, output, error: null, toolCallId: m.tool_call_id });
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

function toolCallsOf(value: unknown, path: string): { id: string; name: string; input: unknown }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(`${path} must be an array.`, path);
  return value.map((call, j) => {
    const at = `${path}[${j}]`;
    const c = call as { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
    assertString(c?.id, `${at}.id`);
    assertString(c?.function?.name, `${at}.function.name`);
    return {
      id: c.id,
      name: c.function.name,
      input: parseToolArguments(c.function.arguments, `${at}.function.arguments`),
    };
  });
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
