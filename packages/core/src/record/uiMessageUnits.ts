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
 * Reasoning, files, sources and data parts are not units. Throws InvalidInputError (naming
 * `path`) for a text part without text or a tool part without a name or call id.
 */
export function uiMessageUnits(message: UIMessageLike, done: boolean, path = 'message'): UIMessageUnit[] {
  if (!message || typeof message !== 'object' || !Array.isArray(message.parts)) {
    throw new InvalidInputError(`${path} must be a message with parts.`, `${path}.parts`);
  }
  const parts = message.parts;
  if (message.role !== 'assistant') {
    const text = parts.flatMap((p, j) => (p?.type === 'text' ? [textOf(p, `${path}.parts[${j}]`)] : []));
    return [{ kind: 'text', key: USER_TEXT, text: text.join('\n\n'), complete: true }];
  }
  const units: UIMessageUnit[] = [];
  let run: string[] = [];
  let runStreaming = false;
  let runs = 0;
  let parentKey: string | undefined;
  let step = 0;
  let stepHasParts = false;
  const closeRun = (complete: boolean) => {
    if (!run.length) return;
    const key = textKey(runs++);
    units.push({ kind: 'text', key, text: run.join('\n\n'), complete: complete && (done || !runStreaming) });
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
    } else if (type === 'text') {
      stepHasParts = true;
      run.push(textOf(part, at));
      if (part.state === 'streaming') runStreaming = true;
    } else if (typeof type === 'string' && (type === 'dynamic-tool' || type.startsWith('tool-'))) {
      stepHasParts = true;
      closeRun(true);
      units.push({ ...toolUnit(part, at), ...(parentKey === undefined ? {} : { parentKey }), step });
    }
  });
  closeRun(done);
  return units;
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
