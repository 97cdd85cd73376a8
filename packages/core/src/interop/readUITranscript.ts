import { InvalidInputError } from '../domain/errors.ts';
import { toJsonValue } from '../domain/jsonValue.ts';
import { uiMessageUnits, type UIToolUnit } from '../record/uiMessageUnits.ts';
import { assertString } from '../domain/validate.ts';
import { assistantStep, newStepId, type StepMetadata, type TranscriptStep } from './transcriptSteps.ts';

/** Loosely typed input, so the AI SDK's own UIMessage objects are accepted as they are. */
export interface UIMessageInput {
  /** Not kept: recorded events get their own ids. */
  id?: string;
  role: string;
  metadata?: unknown;
  parts: readonly ({ type: string } & Record<string, unknown>)[];
}

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
      const [unit] = uiMessageUnits({ role: 'user', parts: m.parts }, true, path);
      const text = unit?.kind === 'text' ? unit.text : '';
      if (text !== '' || m.role === 'user') steps.push({ kind: m.role, text });
      return;
    }
    if (m.role !== 'assistant')
      throw new InvalidInputError(`${path}.role must be system, user or assistant.`, `${path}.role`);
    // The tools of a step with no text before them share a step id, so steps stay apart.
    const stepIds = new Map<number, string>();
    const eventIds = new Map<string, string>();
    for (const unit of uiMessageUnits(m, true, path)) {
      if (unit.kind === 'text') {
        const step = assistantStep(unit.text);
        eventIds.set(unit.key, step.eventId);
        steps.push(step);
        continue;
      }
      if (!unit.complete) continue;
      const parent = unit.parentKey === undefined ? undefined : eventIds.get(unit.parentKey);
      let stepId: string | undefined;
      if (parent === undefined) {
        stepId = stepIds.get(unit.step) ?? newStepId();
        stepIds.set(unit.step, stepId);
      }
      steps.push(toolStep(unit, m.parts, `${path}`, parent, stepId));
    }
  });
  return steps;
}

function toolStep(
  unit: UIToolUnit,
  parts: UIMessageInput['parts'],
  path: string,
  parentEventId: string | undefined,
  stepId: string | undefined,
): TranscriptStep {
  const j = parts.findIndex((p) => p?.toolCallId === unit.toolCallId);
  const at = `${path}.parts[${j}]`;
  const metadata: StepMetadata = {};
  if (stepId !== undefined) metadata.stepId = stepId;
  if (unit.dynamic) metadata.dynamicTool = true;
  if (unit.error !== null) assertString(parts[j]?.errorText, `${at}.errorText`);
  return {
    kind: 'tool',
    name: unit.name,
    input: toJsonValue(unit.input, `${at}.input`),
    output: unit.error !== null ? null : toJsonValue(unit.output, `${at}.output`),
    error: unit.error,
    toolCallId: unit.toolCallId,
    ...(parentEventId === undefined ? {} : { parentEventId }),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}
