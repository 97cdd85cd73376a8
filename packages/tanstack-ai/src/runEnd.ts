import type { RunTokens } from './usage.ts';

/** How a run ended, as the wrapped connection saw it. */
export interface RunEnd {
  usage?: RunTokens;
  /** The model the run's chunks named (TanStack AI's stream chunks carry `model`). */
  model?: string;
  /** The chat stopped the run (its abort signal fired). */
  aborted?: boolean;
  error?: string;
  /** Per message id, how much text the run streamed into it: the end waits until the chat shows it. */
  textLengths?: Map<string, number>;
}

/** A run's end without its stop or failure: for a text that was whole before it. */
export function whole(end: RunEnd): RunEnd {
  const { aborted: _aborted, error: _error, ...rest } = end;
  return rest;
}
