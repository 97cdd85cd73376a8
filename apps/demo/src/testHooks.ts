/**
 * Two URL parameters for tests and demos of streaming, read once at load (both optional):
 * - `?replyDelayMs=N`: the local responder waits N ms between the words it streams (default 25);
 * - `?leaseMs=N`: how long a streamed reply stays live without a write (core's default 15,000),
 *   so a reply whose tab died reads as interrupted sooner.
 */
function positiveParam(name: string): number | undefined {
  if (typeof location === 'undefined') return undefined;
  const value = Number(new URLSearchParams(location.search).get(name));
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

export const REPLY_DELAY_MS = positiveParam('replyDelayMs') ?? 25;
export const LEASE_MS = positiveParam('leaseMs');
