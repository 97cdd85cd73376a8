import type { RankTableData } from './rankTable.ts';
import type { TokenEncoding } from './tokenEncoding.ts';
import type { TokenWorkerRequest, TokenWorkerResponse } from './workerProtocol.ts';

/** Creates the worker that counts tokens off the main thread (see `setTokenizerWorker`). */
export type TokenizerWorkerFactory = () => Worker;

export interface WorkerCounts {
  counts: number[];
  table?: RankTableData;
}

interface Waiting {
  texts: readonly string[];
  withTable: boolean;
  resolve(result: WorkerCounts): void;
  reject(error: unknown): void;
}

/**
 * The default worker, in browsers only. This exact expression is what bundlers (Vite, webpack,
 * Parcel) recognise to emit tokenWorker.ts as its own chunk; `.js` so that it also resolves in
 * the compiled package (Vite maps it to the `.ts` source).
 */
export function defaultTokenizerWorker(): TokenizerWorkerFactory | null {
  if (typeof Worker !== 'function' || typeof window === 'undefined') return null;
  return () => new Worker(new URL('./tokenWorker.js', import.meta.url), { type: 'module' });
}

/**
 * One tokenizer worker, started on first use. Counts asked for in the same tick go out as one
 * message per encoding. If the worker cannot start or fails, it is closed for good and every
 * waiting count is rejected, for the caller to count on its own thread; so is a batch the
 * worker could not count (e.g. its ranks chunk failed to load).
 */
export class TokenWorkerClient {
  private worker: Worker | undefined;
  closed = false;
  private nextId = 0;
  private readonly queued = new Map<TokenEncoding, Waiting[]>();
  private readonly inFlight = new Map<number, Waiting[]>();

  private readonly factory: TokenizerWorkerFactory;
  constructor(factory: TokenizerWorkerFactory) {
    this.factory = factory;
  }

  count(encoding: TokenEncoding, texts: readonly string[], withTable = false): Promise<WorkerCounts> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('tokenizer worker closed'));
      if (this.queued.size === 0) queueMicrotask(() => this.flush());
      const batch = this.queued.get(encoding) ?? [];
      batch.push({ texts, withTable, resolve, reject });
      this.queued.set(encoding, batch);
    });
  }

  /** Stops the worker; counts still waiting are rejected (their callers count elsewhere). */
  close(): void {
    this.closed = true;
    this.worker?.terminate();
    const error = new Error('tokenizer worker closed');
    for (const batch of [...this.inFlight.values(), ...this.queued.values()]) {
      for (const waiting of batch) waiting.reject(error);
    }
    this.inFlight.clear();
    this.queued.clear();
  }

  private flush(): void {
    const requests: TokenWorkerRequest[] = [];
    for (const [encoding, batch] of this.queued) {
      const id = this.nextId++;
      this.inFlight.set(id, batch);
      const request: TokenWorkerRequest = { id, encoding, texts: batch.flatMap((waiting) => waiting.texts) };
      if (batch.some((waiting) => waiting.withTable)) request.withTable = true;
      requests.push(request);
    }
    this.queued.clear();
    try {
      if (!this.worker) {
        const worker = this.factory();
        worker.onmessage = (event: MessageEvent<TokenWorkerResponse>) => this.answer(event.data);
        // A script that fails to load or throws reports here, as does an unreadable message.
        worker.onerror = (event) => {
          event.preventDefault();
          this.close();
        };
        worker.onmessageerror = () => this.close();
        this.worker = worker;
      }
      for (const request of requests) this.worker.postMessage(request);
    } catch {
      // E.g. a content security policy that forbids workers: nothing would ever answer.
      this.close();
    }
  }

  private answer(response: TokenWorkerResponse): void {
    const batch = this.inFlight.get(response.id);
    this.inFlight.delete(response.id);
    let at = 0;
    for (const waiting of batch ?? []) {
      if ('error' in response) {
        waiting.reject(new Error(response.error));
        continue;
      }
      const counts = response.counts.slice(at, at + waiting.texts.length);
      at += waiting.texts.length;
      waiting.resolve(waiting.withTable ? { counts, table: response.table } : { counts });
    }
  }
}
