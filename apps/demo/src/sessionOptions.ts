import { scrubSecrets } from '@ai-session-manager/core';
import type { Responder } from './responder';
import type { Thresholds } from './settings';

/** What every request starts with. */
export const SYSTEM_PROMPT = 'You are the assistant of the ai-session-manager demo. Answer briefly.';

/** Options of every `useSession` of a conversation in the demo (the composer's and the context panel's). */
export function sessionOptions(thresholds: Thresholds, responder: Responder) {
  return {
    systemPrompt: SYSTEM_PROMPT,
    infiniteContext: true,
    tokenThreshold: thresholds.tokenThreshold,
    maxTurnsPerSegment: thresholds.maxTurnsPerSegment,
    defaultModel: responder.model,
    // Everything the managers store (a user pasting a key, an endpoint's error text) is scrubbed.
    scrub: (text: string) => scrubSecrets(text, responder.secrets),
    // The endpoint writes rollover summaries; the local responder leaves them to core's built-in one.
    ...(responder.summarize ? { summarize: responder.summarize } : {}),
  };
}
