import type { ProviderUsage } from '@ai-session-manager/core';

/**
 * The usage a message carries in its metadata (`usage` or `totalUsage`) in the AI SDK's
 * `LanguageModelUsage` shape, as a server sends it with `toUIMessageStreamResponse({ messageMetadata })`.
 */
export function sdkUsage(metadata: unknown): ProviderUsage | undefined {
  const meta = metadata as Record<string, unknown> | undefined;
  const usage = (meta?.usage ?? meta?.totalUsage) as Record<string, unknown> | undefined;
  const input = usage?.inputTokens;
  const output = usage?.outputTokens;
  if (!isCount(input) || !isCount(output)) return undefined;
  const total = isCount(usage?.totalTokens) ? usage.totalTokens : input + output;
  const recorded: ProviderUsage = { promptTokens: input, completionTokens: output, totalTokens: total };
  // The SDK's token details (inputTokens already includes cache reads and writes).
  const inputDetails = usage?.inputTokenDetails as Record<string, unknown> | undefined;
  const outputDetails = usage?.outputTokenDetails as Record<string, unknown> | undefined;
  const cacheRead = inputDetails?.cacheReadTokens ?? usage?.cachedInputTokens;
  const cacheWrite = inputDetails?.cacheWriteTokens;
  const reasoning = outputDetails?.reasoningTokens ?? usage?.reasoningTokens;
  if (isCount(cacheRead)) recorded.cachedPromptTokens = cacheRead;
  if (isCount(cacheWrite)) recorded.cacheWriteTokens = cacheWrite;
  if (isCount(reasoning)) recorded.reasoningTokens = reasoning;
  return recorded;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
