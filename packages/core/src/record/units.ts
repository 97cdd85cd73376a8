/** A run of text of a message (a user message is one): `complete` once nothing more is added to it. */
export interface TextUnit {
  kind: 'text';
  /** Stable within its message: `text` for a user message, `text-0`, `text-1`… for a reply's runs. */
  key: string;
  text: string;
  complete: boolean;
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
}

/**
 * What one UI message is recorded as, in order: the neutral shape every adapter splits its
 * library's message into. Reasoning, files and other parts a library shows are not units.
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
