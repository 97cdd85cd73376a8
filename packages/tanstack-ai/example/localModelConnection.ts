import type { StreamChunk } from '@tanstack/ai';
import { type ConnectConnectionAdapter, stream, type UIMessage } from '@tanstack/ai-client';

// An offline "model" behind TanStack AI's connection interface (its own `stream()` adapter): it
// streams its answer word by word as AG-UI chunks, the way a server running TanStack's `chat()`
// sends them, and answers arithmetic with a calculator tool call (arguments, result, then the
// answer). Swap it for fetchServerSentEvents('/api/chat') or your own connection.

export interface LocalModelOptions {
  /** Between two chunks. */
  delayMs?: number;
  /** Sees every request's messages: what the model is sent. */
  onRequest?: (messages: UIMessage[]) => void;
}

/** A long answer (about two seconds at the default pace), to watch a reply stream and save as it goes. */
export const STORY =
  'Once upon a time a small browser tab kept a diary of every conversation it had. ' +
  'Each message went into IndexedDB the moment it was written, and regenerated answers were ' +
  'kept as versions, so nothing was ever lost. When the tab was closed in the middle ' +
  'of a sentence, the words so far were still there the next morning. The end.';

let runs = 0;

export function localModelConnection({
  delayMs = 35,
  onRequest,
}: LocalModelOptions = {}): ConnectConnectionAdapter {
  return stream(async function* (messages, _data, abortSignal): AsyncGenerator<StreamChunk> {
    const list = messages as UIMessage[];
    onRequest?.(list);
    const run = ++runs;
    const runId = `local-run-${Date.now()}-${run}`;
    const threadId = 'local';
    const messageId = `local-reply-${Date.now()}-${run}`;
    const chunk = (c: Record<string, unknown>) => ({ ...c, timestamp: Date.now() }) as StreamChunk;
    const pause = () => new Promise((resolve) => setTimeout(resolve, delayMs));
    const text = function* (sentence: string) {
      for (const delta of sentence.match(/\S+\s*/g) ?? [sentence]) {
        yield chunk({ type: 'TEXT_MESSAGE_CONTENT', messageId, delta });
      }
    };
    const script: StreamChunk[] = [
      chunk({ type: 'RUN_STARTED', runId, threadId }),
      chunk({ type: 'TEXT_MESSAGE_START', messageId, role: 'assistant' }),
    ];
    const question = textOf([...list].reverse().find((m) => m.role === 'user'));
    const sum = /(-?\d+(?:\.\d+)?)\s*([-+*/×x])\s*(-?\d+(?:\.\d+)?)/.exec(question);
    if (sum) {
      const expression = `${sum[1]} ${sum[2] === '×' || sum[2] === 'x' ? '*' : sum[2]} ${sum[3]}`;
      const value = calculate(Number(sum[1]), sum[2]!, Number(sum[3]));
      const toolCallId = `call-${Date.now()}-${run}`;
      const args = JSON.stringify({ expression });
      script.push(
        ...text('Let me work that out. '),
        chunk({
          type: 'TOOL_CALL_START',
          toolCallId,
          toolCallName: 'calculator',
          parentMessageId: messageId,
        }),
        chunk({ type: 'TOOL_CALL_ARGS', toolCallId, delta: args.slice(0, 10) }),
        chunk({ type: 'TOOL_CALL_ARGS', toolCallId, delta: args.slice(10) }),
        chunk({ type: 'TOOL_CALL_END', toolCallId }),
        chunk({
          type: 'TOOL_CALL_RESULT',
          toolCallId,
          messageId: `${toolCallId}-result`,
          content: JSON.stringify(Number.isFinite(value) ? { value } : { error: 'division by zero' }),
        }),
        ...text(Number.isFinite(value) ? `${expression} = ${value}.` : `${expression} has no value.`),
      );
    } else if (/\bstory\b/i.test(question)) {
      script.push(...text(STORY));
    } else {
      const turn = list.filter((m) => m.role === 'assistant').length + 1;
      script.push(...text(`You said “${question}”. This is answer ${turn} (run ${run}).`));
    }
    script.push(
      chunk({ type: 'TEXT_MESSAGE_END', messageId }),
      chunk({
        type: 'RUN_FINISHED',
        runId,
        threadId,
        finishReason: 'stop',
        usage: {
          promptTokens: 12 * list.length,
          completionTokens: script.length,
          totalTokens: 12 * list.length + script.length,
        },
      }),
    );
    for (const next of script) {
      await pause();
      if (abortSignal?.aborted) return;
      yield next;
    }
  });
}

function calculate(a: number, op: string, b: number): number {
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '/') return b === 0 ? Number.NaN : a / b;
  return a * b;
}

function textOf(message: UIMessage | undefined): string {
  return (message?.parts ?? []).flatMap((p) => (p.type === 'text' ? [p.content] : [])).join('');
}
