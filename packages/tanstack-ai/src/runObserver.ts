import type { ConnectionAdapter } from '@tanstack/ai-client';
import type { RunEnd } from './runEnd.ts';
import { providerUsage } from './usage.ts';

type Chunk = { type: string } & Record<string, unknown>;
type OnRunEnd = (threadId: string | undefined, end: RunEnd) => void;
type Connect = Extract<ConnectionAdapter, { connect: unknown }>['connect'];
type Messages = Parameters<Connect>[0];
type Data = Parameters<Connect>[1];
/** What a run's request sends instead of the chat's list and data (the thread's prompt); undefined: as they are. */
export type PromptFor = (
  threadId: string | undefined,
  messages: Messages,
  data: Data,
) => Promise<{ messages: Messages; data: Data }> | undefined;

/** What one run streamed, as the connection saw it pass. */
class RunTally {
  threadId: string | undefined;
  usage: RunEnd['usage'];
  model: string | undefined;
  error: string | undefined;
  readonly textLengths = new Map<string, number>();

  constructor(threadId: string | undefined) {
    this.threadId = threadId;
  }

  see(chunk: Chunk): void {
    if (typeof chunk.threadId === 'string' && chunk.threadId !== '') this.threadId ??= chunk.threadId;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.model = chunk.model;
    if (chunk.type === 'TEXT_MESSAGE_CONTENT' && typeof chunk.messageId === 'string') {
      const delta = typeof chunk.delta === 'string' ? chunk.delta.length : 0;
      this.textLengths.set(chunk.messageId, (this.textLengths.get(chunk.messageId) ?? 0) + delta);
    } else if (chunk.type === 'RUN_FINISHED') {
      this.usage = providerUsage(chunk.usage) ?? this.usage;
    } else if (chunk.type === 'RUN_ERROR') {
      this.error = typeof chunk.message === 'string' && chunk.message !== '' ? chunk.message : 'error';
    }
  }

  end(aborted: boolean): RunEnd {
    return {
      ...(this.usage ? { usage: this.usage } : {}),
      ...(this.model ? { model: this.model } : {}),
      ...(aborted ? { aborted: true } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
      textLengths: new Map(this.textLengths),
    };
  }
}

/**
 * Wrap a TanStack connection so each run's end reaches `onRunEnd`: when the stream of a
 * `connect` call ends (finished, failed or stopped through its abort signal), and, for
 * `subscribe`/`send` connections, at each RUN_FINISHED / RUN_ERROR and on a stopped send.
 * Chunks pass through unchanged.
 */
export function observeRuns<C extends ConnectionAdapter>(
  connection: C,
  onRunEnd: OnRunEnd,
  promptFor: PromptFor = () => undefined,
): C {
  if ('connect' in connection) {
    const connect = connection.connect.bind(connection);
    return {
      ...connection,
      connect(messages, data, abortSignal, runContext) {
        const threadId = runContext?.threadId;
        const pending = promptFor(threadId, messages, data);
        const source = pending
          ? (async function* () {
              const prompt = await pending;
              yield* connect(prompt.messages, prompt.data, abortSignal, runContext);
            })()
          : connect(messages, data, abortSignal, runContext);
        return tally(source, threadId, abortSignal, onRunEnd);
      },
    } as C;
  }
  const subscribe = connection.subscribe.bind(connection);
  const send = connection.send.bind(connection);
  let current: RunTally | undefined;
  return {
    ...connection,
    subscribe(abortSignal) {
      return (async function* () {
        for await (const chunk of subscribe(abortSignal)) {
          const c = chunk as unknown as Chunk;
          current ??= new RunTally(undefined);
          current.see(c);
          yield chunk;
          if (c.type === 'RUN_FINISHED' || c.type === 'RUN_ERROR') {
            const run = current;
            current = undefined;
            onRunEnd(run.threadId, run.end(false));
          }
        }
      })();
    },
    send(messages, data, abortSignal, runContext) {
      abortSignal?.addEventListener(
        'abort',
        () => {
          const threadId = runContext?.threadId ?? current?.threadId;
          // A stopped run may never send its end: the next run starts a tally of its own.
          current = undefined;
          onRunEnd(threadId, { aborted: true });
        },
        { once: true },
      );
      const pending = promptFor(runContext?.threadId, messages, data);
      if (!pending) return send(messages, data, abortSignal, runContext);
      return pending.then((prompt) => send(prompt.messages, prompt.data, abortSignal, runContext));
    },
  } as C;
}

async function* tally<T>(
  source: AsyncIterable<T>,
  threadId: string | undefined,
  abortSignal: AbortSignal | undefined,
  onRunEnd: OnRunEnd,
): AsyncIterable<T> {
  const run = new RunTally(threadId);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onRunEnd(run.threadId, run.end(abortSignal?.aborted === true));
  };
  // A stopped chat ignores whatever the stream still yields: its reply ends now, as shown.
  abortSignal?.addEventListener('abort', end, { once: true });
  try {
    for await (const chunk of source) {
      run.see(chunk as unknown as Chunk);
      yield chunk;
    }
  } catch (error) {
    run.error ??= error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    abortSignal?.removeEventListener('abort', end);
    end();
  }
}
