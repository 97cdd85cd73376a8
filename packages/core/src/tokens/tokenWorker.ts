// Module worker entry: imports the ranks and builds the rank table here, so that neither blocks
// the page; counts long texts here too. Started by tokenWorkerClient.ts.
import { loadExactCounter } from './exactCounterLoader.ts';
import type { TokenWorkerRequest, TokenWorkerResponse } from './workerProtocol.ts';

// The DOM lib types `globalThis` as a Window; in a dedicated worker these are the worker's own.
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<TokenWorkerRequest>) => void) | null;
  postMessage(message: TokenWorkerResponse, transfer?: Transferable[]): void;
};

async function answer({ id, encoding, texts, withTable }: TokenWorkerRequest): Promise<void> {
  try {
    const counter = await loadExactCounter(encoding);
    const counts = texts.map((text) => counter.count(text));
    if (!withTable) return scope.postMessage({ id, counts });
    // A copy, transferred: the page receives it without copying or parsing anything.
    const table = counter.ranks.copy();
    scope.postMessage({ id, counts, table }, [
      table.bytes.buffer,
      table.starts.buffer,
      table.ranks.buffer,
      table.slots.buffer,
    ]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
}

scope.onmessage = (event) => {
  void answer(event.data);
};
