/**
 * A response's provider usage, for its last text, less the completion tokens its earlier texts
 * were already recorded with. A text before a tool call is finished (counted by our tokenizer)
 * when the call arrives; the provider's usage for the response covers it again, so without
 * this the response would be billed twice for it. Never below zero; other fields are kept.
 */
export function lessCountedCompletion<U extends { completionTokens?: number; totalTokens?: number }>(
  usage: U,
  counted: number,
): U {
  const { completionTokens, totalTokens } = usage;
  if (typeof completionTokens !== 'number' || counted <= 0) return usage;
  const taken = Math.min(counted, completionTokens);
  return {
    ...usage,
    completionTokens: completionTokens - taken,
    ...(typeof totalTokens === 'number' ? { totalTokens: Math.max(0, totalTokens - taken) } : {}),
  };
}
