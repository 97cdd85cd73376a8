import { InvalidInputError } from '../domain/errors.ts';
import { toJsonValue } from '../domain/jsonValue.ts';
import { assertNonEmptyString, assertString } from '../domain/validate.ts';
import { partsFromAnthropicBlocks } from './mediaBlocks.ts';
import {
  assistantStep,
  newStepId,
  parseToolOutput,
  type StepMetadata,
  type TranscriptStep,
} from './transcriptSteps.ts';

/** Loosely typed input, as an Anthropic SDK request holds it. */
export interface AnthropicConversationInput {
  system?: string | readonly { type: string; text?: string }[];
  messages: readonly { role: string; content: unknown }[];
}

/** A transcript as steps to record, checked in full first (see fromAnthropicMessages). */
export function readAnthropicTranscript(input: AnthropicConversationInput): TranscriptStep[] {
  if (!input || typeof input !== 'object' || !Array.isArray(input.messages)) {
    throw new InvalidInputError('Expected { system?, messages: [...] }.', 'messages');
  }
  const steps: TranscriptStep[] = [];
  if (input.system !== undefined) steps.push({ kind: 'system', text: textOf(input.system, 'system') });
  const pending = new Map<
    string,
    { name: string; input: unknown; parentEventId?: string; metadata?: StepMetadata }
  >();
  input.messages.forEach((m, i) => {
    const path = `messages[${i}]`;
    if (m?.role !== 'user' && m?.role !== 'assistant') {
      throw new InvalidInputError(`${path}.role must be user or assistant.`, `${path}.role`);
    }
    const blocks = blocksOf(m.content, `${path}.content`);
    const text = blocks
      .filter((b) => b.type === 'text')
      .map((b) => b.text as string)
      .join('\n');
    const parts = partsFromAnthropicBlocks(blocks);
    if (m.role === 'assistant') {
      const hasText = typeof m.content === 'string' || text !== '' || parts !== undefined;
      const step = hasText ? assistantStep(text) : undefined;
      // A step-start first, as the AI SDK shapes an assistant message's parts.
      if (step && parts) step.parts = [{ type: 'step-start' }, ...parts];
      if (step) steps.push(step);
      // The calls of a message with no text stay one step of their own.
      const link = step ? { parentEventId: step.eventId } : { metadata: { stepId: newStepId() } };
      blocks.forEach((b, j) => {
        if (b.type !== 'tool_use') return;
        const at = `${path}.content[${j}]`;
        assertNonEmptyString(b.id, `${at}.id`);
        assertNonEmptyString(b.name, `${at}.name`);
        pending.set(b.id, { name: b.name, input: toJsonValue(b.input ?? {}, `${at}.input`), ...link });
      });
      return;
    }
    // Tool results come first in a user message, as the API requires.
    blocks.forEach((b, j) => {
      if (b.type !== 'tool_result') return;
      const at = `${path}.content[${j}]`;
      assertNonEmptyString(b.tool_use_id, `${at}.tool_use_id`);
      const call = pending.get(b.tool_use_id);
      if (!call) {
        throw new InvalidInputError(
          `${at}.tool_use_id "${b.tool_use_id}" answers no earlier tool_use.`,
          `${at}.tool_use_id`,
        );
      }
      pending.delete(b.tool_use_id);
      const content = textOf(b.content ?? '', `${at}.content`);
      const failed = b.is_error === true;
      const output = failed ? null : toJsonValue(parseToolOutput(content), `${at}.content`);
      steps.push({
        kind: 'tool',
        ...call,
        output,
        error: failed ? content : null,
        toolCallId: b.tool_use_id,
      });
    });
    if (typeof m.content === 'string' || text !== '' || parts)
      steps.push({ kind: 'user', text, ...(parts ? { parts } : {}) });
  });
  return steps;
}

type LooseBlock = { type: string; [key: string]: unknown };

function blocksOf(content: unknown, path: string): LooseBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content))
    throw new InvalidInputError(`${path} must be a string or an array of blocks.`, path);
  return content.map((b, j) => {
    if (!b || typeof b !== 'object' || typeof b.type !== 'string') {
      throw new InvalidInputError(`${path}[${j}] must be a content block with a type.`, `${path}[${j}]`);
    }
    if (b.type === 'text') assertString(b.text, `${path}[${j}].text`);
    return b as LooseBlock;
  });
}

/** A string, or the text of an array of text blocks. */
function textOf(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .filter((b): b is { type: 'text'; text: string } => b?.type === 'text' && typeof b.text === 'string')
      .map((b) => b.text)
      .join('\n');
  }
  throw new InvalidInputError(`${path} must be a string or an array of text blocks.`, path);
}
