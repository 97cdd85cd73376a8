import { InvalidInputError } from '../errors';
import { toJsonValue } from '../jsonValue';
import { assertNonEmptyString, assertString } from '../validate';
import { assistantStep, newStepId, type StepMetadata, type TranscriptStep } from './transcriptSteps';
import type { UIMessageInput } from './uiMessages';

/** A transcript as steps to record, checked in full first (see fromUIMessages). */
export function readUITranscript(messages: readonly UIMessageInput[]): TranscriptStep[] {
  if (!Array.isArray(messages)) throw new InvalidInputError('messages must be an array.', 'messages');
  const steps: TranscriptStep[] = [];
  messages.forEach((m, i) => {
    const path = `messages[${i}]`;
    if (!m || typeof m !== 'object' || !Array.isArray(m.parts)) {
      throw new InvalidInputError(`${path} must be a message with parts.`, `${path}.parts`);
    }
    if (m.role === 'system' || m.role === 'user') {
      const text = textParts(m.parts, path).join('\n\n');
      if (text !== '' || m.role === 'user') steps.push({ kind: m.role, text });
      return;
    }
    if (m.role !== 'assistant')
      throw new InvalidInputError(`${path}.role must be system, user or assistant.`, `${path}.role`);
    let text: string[] = [];
    let parent: string | undefined;
    // The tools of a step with no text before them share a step id, so steps stay apart.
    let stepId: string | undefined;
    const flushText = () => {
      if (!text.length) return;
      const step = assistantStep(text.join('\n\n'));
      steps.push(step);
      parent = step.eventId;
      text = [];
    };
    const parts: UIMessageInput['parts'] = m.parts;
    parts.forEach((part, j) => {
      const at = `${path}.parts[${j}]`;
      if (part?.type === 'step-start') {
        flushText();
        parent = stepId = undefined;
      } else if (part?.type === 'text') {
        assertString(part.text, `${at}.text`);
        text.push(part.text);
      } else if (
        typeof part?.type === 'string' &&
        (part.type.startsWith('tool-') || part.type === 'dynamic-tool')
      ) {
        flushText();
        if (parent === undefined) stepId ??= newStepId();
        const tool = toolStep(part, at, parent, stepId);
        if (tool) steps.push(tool);
      }
    });
    flushText();
  });
  return steps;
}

function toolStep(
  part: Record<string, unknown>,
  at: string,
  parentEventId: string | undefined,
  stepId: string | undefined,
): TranscriptStep | undefined {
  const dynamic = part.type === 'dynamic-tool';
  const name = dynamic ? part.toolName : (part.type as string).slice('tool-'.length);
  // Checked in every state, so a bad part fails the transcript before anything is written.
  assertNonEmptyString(name, dynamic ? `${at}.toolName` : `${at}.type`);
  assertNonEmptyString(part.toolCallId, `${at}.toolCallId`);
  if (part.state !== 'output-available' && part.state !== 'output-error') return undefined;
  const metadata: StepMetadata = {};
  if (parentEventId === undefined && stepId !== undefined) metadata.stepId = stepId;
  if (dynamic) metadata.dynamicTool = true;
  const failed = part.state === 'output-error';
  if (failed) assertString(part.errorText, `${at}.errorText`);
  return {
    kind: 'tool',
    name,
    input: toJsonValue(part.input ?? null, `${at}.input`),
    output: failed ? null : toJsonValue(part.output ?? null, `${at}.output`),
    error: failed ? (part.errorText as string) : null,
    toolCallId: part.toolCallId,
    ...(parentEventId === undefined ? {} : { parentEventId }),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

function textParts(parts: UIMessageInput['parts'], path: string): string[] {
  return parts.flatMap((part, j) => {
    if (part?.type !== 'text') return [];
    assertString(part.text, `${path}.parts[${j}].text`);
    return [part.text];
  });
}
