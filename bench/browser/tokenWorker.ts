// Prototype of the off-main-thread counter (benchmark 5, `worker` mode): the ranks are imported
// and the encoder built here, so the page's main thread never runs those long tasks.
import { countTokens } from '@ai-session-manager/core';

interface CountRequest {
  id: number;
  text: string;
  model: string;
}

// The DOM lib types `globalThis` as a Window; in a dedicated worker these are the worker's own.
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<CountRequest>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (event) => {
  const { id, text, model } = event.data;
  scope.postMessage({ id, count: await countTokens(text, model) });
};
