import type { MessagePart } from '../domain/messageParts.ts';

/** A run of text of a message (a user message is one): `complete` once nothing more is added to it. */
export interface TextUnit {
  kind: 'text';
  /** Stable within its message: `text` for a user message, `text-0`, `text-1`… for a reply's runs. */
  key: string;
  text: string;
  complete: boolean;
  /**
   * The message's parts this unit records, in order (for a reply: those since the unit before,
   * reasoning, files and sources included): stored with its event so the message reads back
   * exactly. Absent: the text alone says it all.
   */
  parts?: MessagePart[];
}

/** One tool call with its result. */
export interface ToolUnit {
  kind: 'tool';
  /** `tool:<toolCallId>`. */
  key: string;
  name: string;
  toolCallId: string;
  input: unknown;
  output: unknown;
  error: string | null;
  /** Recorded once its output (or error) is there. */
  complete: boolean;
  /** The text unit of the same step that came before it, which asked for it. */
  parentKey?: string;
  /** The message's parts this unit records: those since the unit before, and the tool part itself. */
  parts?: MessagePart[];
}

/**
 * What one UI message is recorded as, in order: the neutral shape every adapter splits its
 * library's message into. Reasoning, files and other parts ride in the `parts` of a unit.
 */
export type RecordUnit = TextUnit | ToolUnit;

/** The key of a user message's one text unit. */
export const USER_TEXT = 'text';

/** The key of a reply's `n`th text run. */
export function textKey(n: number): string {
  return `text-${n}`;
}

export function toolKey(toolCallId: string): string {
  return `tool:${toolCallId}`;
}

/** The key of the last text unit: the one a response's end (usage, stop) applies to. */
export function lastTextKey(units: readonly RecordUnit[]): string | undefined {
  for (let i = units.length - 1; i >= 0; i--) if (units[i]!.kind === 'text') return units[i]!.key;
  return undefined;
}
