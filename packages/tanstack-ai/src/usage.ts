/** Token usage as TanStack reports it, in the shape core reads. */
export interface RunTokens {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * Provider token usage in either of TanStack AI's shapes: its `TokenUsage`
 * (`promptTokens`, `completionTokens`, `totalTokens`) or the AG-UI spec's `usage[]`
 * (`inputTokens`, `outputTokens`, `totalTokens`, first entry). Undefined when neither.
 */
export function providerUsage(value: unknown): RunTokens | undefined {
  const usage = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | null | undefined;
  if (!usage || typeof usage !== 'object') return undefined;
  const prompt = usage.promptTokens ?? usage.inputTokens;
  const completion = usage.completionTokens ?? usage.outputTokens;
  if (!isCount(prompt) || !isCount(completion)) return undefined;
  const total = isCount(usage.totalTokens) ? usage.totalTokens : prompt + completion;
  return { promptTokens: prompt, completionTokens: completion, totalTokens: total };
}

/** The usage a message carries in its metadata (`metadata.usage` or `metadata.tanstack.usage`). */
export function messageUsage(metadata: unknown): RunTokens | undefined {
  if (!metadata || typeof metadata !== 'object') return undefined;
  const meta = metadata as Record<string, unknown>;
  const tanstack = meta.tanstack as Record<string, unknown> | undefined;
  return providerUsage(meta.usage) ?? providerUsage(tanstack?.usage);
}

/** The model a message names in its metadata (`metadata.model` or `metadata.tanstack.model`). */
export function messageModel(metadata: unknown): string | undefined {
  if (!metadata || typeof metadata !== 'object') return undefined;
  const meta = metadata as Record<string, unknown>;
  const tanstack = meta.tanstack as Record<string, unknown> | undefined;
  const model = meta.model ?? tanstack?.model;
  return typeof model === 'string' && model !== '' && model !== 'connect-wrapper' ? model : undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
