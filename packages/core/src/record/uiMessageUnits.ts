import type { MessagePart } from '../domain/messageParts.ts';
import { assertNonEmptyString, InvalidInputError } from './fromCore.ts';
import { type TextUnit, type ToolUnit, textKey, toolKey, USER_TEXT } from './units.ts';

/** An AI SDK tool unit: which step of the message it is in (tool calls of a step with no text share it), and whether it is dynamic. */
export type UIToolUnit = ToolUnit & { step: number; dynamic: boolean };
export type UIMessageUnit = TextUnit | UIToolUnit;

/** An AI SDK (v5+) UIMessage, loosely typed so the SDK's own objects are accepted as they are. */
export interface UIMessageLike {
  role: string;
  parts: readonly ({ type: string } & Record<string, unknown>)[];
}

/**
 * The one reader of AI SDK message parts: a user or system message is one text unit; an
 * assistant message is a text unit per run of text parts (a tool part or a new step ends a run)
 * and a tool unit per tool part. `done`: the response is over, so its last run is complete too;
 * before that a run is complete once something follows it and no part of it still streams.
 *
 * Every part lands in exactly one unit's `parts`, in order (concatenated, they are the message):
 * reasoning, files, sources, data parts and step starts go with the unit after them, those after
 * the last unit with it when it is text, else with an empty text unit of their own. A tool part whose call was denied (`output-denied`) is final with no output:
 * it rides along as such a part. Throws InvalidInputError (naming `path`) for a text part without
 * text or a tool part without a name or call id.
 */
export function uiMessageUnits(message: UIMessageLike, done: boolean, path = 'message'): UIMessageUnit[] {
  if (!message || typeof message !== 'object' || !Array.isArray(message.parts)) {
    throw new InvalidInputError(`${path} must be a message with parts.`, `${path}.parts`);
  }
  const parts = message.parts as readonly MessagePart[];
  if (message.role !== 'assistant') {
    const text = parts.flatMap((p, j) => (p?.type === 'text' ? [textOf(p, `${path}.parts[${j}]`)] : []));
    const unit: TextUnit = { kind: 'text', key: USER_TEXT, text: text.join('\n\n'), complete: true };
    if (!isPlainText(parts)) unit.parts = [...parts];
    return [unit];
  }
  const units: UIMessageUnit[] = [];
  let run: string[] = [];
  let runStreaming = false;
  let runs = 0;
  let parentKey: string | undefined;
  let step = 0;
  let stepHasParts = false;
  /** Parts seen since the last unit: the next unit's. */
  let slice: MessagePart[] = [];
  const closeRun = (complete: boolean) => {
    if (!run.length) return;
    const key = textKey(runs++);
    units.push({
      kind: 'text',
      key,
      text: run.join('\n\n'),
      complete: complete && (done || !runStreaming),
      parts: slice,
    });
    slice = [];
    parentKey = key;
    run = [];
    runStreaming = false;
  };
  parts.forEach((part, j) => {
    const at = `${path}.parts[${j}]`;
    const type = part?.type;
    if (type === 'step-start') {
      closeRun(true);
      parentKey = undefined;
      if (stepHasParts) step += 1;
      stepHasParts = false;
      slice.push(part);
    } else if (type === 'text') {
      stepHasParts = true;
      run.push(textOf(part, at));
      if (part.state === 'streaming') runStreaming = true;
      slice.push(part);
    } else if (isToolPart(part)) {
      stepHasParts = true;
      closeRun(true);
      const unit = toolUnit(part, at);
      unit.parts = [...slice, part];
      slice = [];
      units.push({ ...unit, ...(parentKey === undefined ? {} : { parentKey }), step });
    } else slice.push(part);
  });
  closeRun(done);
  if (slice.length) {
    // A tool unit may be written already: what follows it goes with a text unit of its own.
    const last = units[units.length - 1];
    if (last?.kind === 'text') last.parts = [...(last.parts ?? []), ...slice];
    else units.push({ kind: 'text', key: textKey(runs), text: '', complete: done, parts: slice });
  }
  return units;
}

/** A tool part that is a call (an `output-denied` one is final with no output: not a unit). */
function isToolPart(part: MessagePart): boolean {
  const type = part?.type;
  if (typeof type !== 'string' || (type !== 'dynamic-tool' && !type.startsWith('tool-'))) return false;
  return part.state !== 'output-denied';
}

/** One text part with nothing but its text: the stored text alone gives it back. */
function isPlainText(parts: readonly MessagePart[]): boolean {
  if (parts.length !== 1) return false;
  const [part] = parts;
  return part!.type === 'text' && Object.keys(part!).every((k) => k === 'type' || k === 'text');
}

function textOf(part: Record<string, unknown>, at: string): string {
  if (typeof part.text !== 'string')
    throw new InvalidInputError(`${at}.text must be a string.`, `${at}.text`);
  return part.text;
}

function toolUnit(part: Record<string, unknown>, at: string): Omit<UIToolUnit, 'step'> {
  const dynamic = part.type === 'dynamic-tool';
  const name = dynamic ? part.toolName : (part.type as string).slice('tool-'.length);
  assertNonEmptyString(name, dynamic ? `${at}.toolName` : `${at}.type`);
  assertNonEmptyString(part.toolCallId, `${at}.toolCallId`);
  const failed = part.state === 'output-error';
  return {
    kind: 'tool',
    key: toolKey(part.toolCallId as string),
    name: name as string,
    toolCallId: part.toolCallId as string,
    input: part.input ?? null,
    output: failed ? null : (part.output ?? null),
    error: failed ? (typeof part.errorText === 'string' ? part.errorText : 'error') : null,
    complete: (part.state === 'output-available' && part.preliminary !== true) || failed,
    dynamic,
  };
}
