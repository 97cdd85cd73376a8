import { InvalidInputError } from '../domain/errors.ts';
import { toJsonValue } from '../domain/jsonValue.ts';
import { uiMessageUnits, type UIToolUnit } from '../record/uiMessageUnits.ts';
import { assertString } from '../domain/validate.ts';
import { type MessagePart, toMessageParts } from '../domain/messageParts.ts';
import { linkMetadata } from '../record/messageLink.ts';
import { UI_LINK } from '../record/uiLink.ts';
import { assistantStep, newStepId, type StepMetadata, type TranscriptStep } from './transcriptSteps.ts';

/** Loosely typed input, so the AI SDK's own UIMessage objects are accepted as they are. */
export interface UIMessageInput {
  /** Kept (with `metadata`): toUIMessages gives it back. */
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
    const link = (key?: string) =>
      typeof m.id === 'string' && m.id !== ''
        ? linkMetadata(UI_LINK, { id: m.id, metadata: m.metadata }, key)
        : undefined;
    const partsOf = (parts: MessagePart[] | undefined) =>
      parts === undefined ? {} : { parts: toMessageParts(parts, `${path}.parts`) };
    if (m.role === 'system' || m.role === 'user') {
      const [unit] = uiMessageUnits({ role: 'user', parts: m.parts }, true, path);
      const text = unit?.kind === 'text' ? unit.text : '';
      if (m.role === 'system') {
        if (text !== '') steps.push({ kind: 'system', text });
      } else steps.push(withExtras({ kind: 'user', text }, link(unit?.key), partsOf(unit?.parts)));
      return;
    }
    if (m.role !== 'assistant')
      throw new InvalidInputError(`${path}.role must be system, user or assistant.`, `${path}.role`);
    // The tools of a step with no text before them share a step id, so steps stay apart.
    const stepIds = new Map<number, string>();
    const eventIds = new Map<string, string>();
    const mine: Extract<TranscriptStep, { kind: 'assistant' | 'tool' }>[] = [];
    // Parts of tool calls not finished (or awaiting approval) ride with a recorded step.
    let carried: MessagePart[] = [];
    for (const unit of uiMessageUnits(m, true, path)) {
      if (unit.kind === 'tool' && !unit.complete) {
        const before = mine[mine.length - 1];
        if (before) before.parts = [...(before.parts ?? []), ...(unit.parts ?? [])];
        else carried.push(...(unit.parts ?? []));
        continue;
      }
      const parts = carried.length ? [...carried, ...(unit.parts ?? [])] : unit.parts;
      carried = [];
      let step: Extract<TranscriptStep, { kind: 'assistant' | 'tool' }>;
      if (unit.kind === 'text') {
        step = assistantStep(unit.text);
        eventIds.set(unit.key, step.eventId);
      } else {
        const parent = unit.parentKey === undefined ? undefined : eventIds.get(unit.parentKey);
        let stepId: string | undefined;
        if (parent === undefined) {
          stepId = stepIds.get(unit.step) ?? newStepId();
          stepIds.set(unit.step, stepId);
        }
        step = toolStep(unit, m.parts, `${path}`, parent, stepId);
      }
      mine.push(withExtras(step, link(unit.key), { parts }));
    }
    if (carried.length) mine.push(withExtras(assistantStep(''), link('text-0'), { parts: carried }));
    for (const step of mine) Object.assign(step, partsOf(step.parts));
    steps.push(...mine);
  });
  return steps;
}

function withExtras<S extends TranscriptStep>(
  step: S,
  link: Record<string, unknown> | undefined,
  { parts }: { parts?: MessagePart[] },
): S {
  if (link) Object.assign(step, { link });
  if (parts) Object.assign(step, { parts });
  return step;
}

function toolStep(
  unit: UIToolUnit,
  parts: UIMessageInput['parts'],
  path: string,
  parentEventId: string | undefined,
  stepId: string | undefined,
): Extract<TranscriptStep, { kind: 'tool' }> {
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
