import type { OpenAIConfig } from './openAIResponder';

/** Thresholds for infinite context. Saved in localStorage (they are not secret). */
export interface Thresholds {
  tokenThreshold: number;
  maxTurnsPerSegment: number;
}

/** Which responder answers. The OpenAI config (and its key) lives in memory only. */
export type ResponderChoice = { kind: 'local' } | ({ kind: 'openai' } & OpenAIConfig);

export const DEFAULT_THRESHOLDS: Thresholds = { tokenThreshold: 4000, maxTurnsPerSegment: 20 };

const KEY = 'ai-session-manager-demo:thresholds';

export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export function loadThresholds(): Thresholds {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Thresholds> | null;
    return {
      tokenThreshold: isPositiveInteger(saved?.tokenThreshold)
        ? saved.tokenThreshold
        : DEFAULT_THRESHOLDS.tokenThreshold,
      maxTurnsPerSegment: isPositiveInteger(saved?.maxTurnsPerSegment)
        ? saved.maxTurnsPerSegment
        : DEFAULT_THRESHOLDS.maxTurnsPerSegment,
    };
  } catch {
    return DEFAULT_THRESHOLDS;
  }
}

export function saveThresholds(thresholds: Thresholds): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(thresholds));
  } catch {
    // Storage may be disabled; the thresholds still apply for this page.
  }
}
