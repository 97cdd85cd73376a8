import type { ChatTransport, UIMessage, UIMessageChunk } from 'ai';

// An offline "model" behind the AI SDK's ChatTransport interface: it streams its answer word by
// word as UIMessageChunks, and answers arithmetic with a calculator tool call (input streamed,
// then the output, then a second step with the answer), as a server running streamText with a
// tool would. Swap it for DefaultChatTransport (your /api/chat) or DirectChatTransport.

export interface LocalModelOptions {
  /** Between two chunks. */
  delayMs?: number;
  /** Sees every request's messages: what the model is sent. */
  onRequest?: (messages: UIMessage[]) => void;
}

const SUMMARY_PREFIX = 'Summary of the conversation so far';
/** A long answer (about two seconds at the default pace), to watch a reply stream and save as it goes. */
const STORY =
  'Once upon a time a small browser tab kept a diary of every conversation it had. ' +
  'Each message went into IndexedDB the moment it was written, and long talks were folded ' +
  'into summaries so the model never forgot the start. When the tab was closed in the middle ' +
  'of a sentence, the words so far were still there the next morning. The end.';

export function localModelTransport({
  delayMs = 35,
  onRequest,
}: LocalModelOptions = {}): ChatTransport<UIMessage> {
  return {
    async sendMessages({ messages, abortSignal }) {
      onRequest?.(messages);
      return chunkStream(respond(messages), { delayMs, abortSignal });
    },
    async reconnectToStream() {
      return null;
    },
  };
}

function respond(messages: UIMessage[]): UIMessageChunk[] {
  const question = textOf([...messages].reverse().find((m) => m.role === 'user'));
  const hasSummary = messages.some((m) => m.role === 'system' && textOf(m).startsWith(SUMMARY_PREFIX));
  const sum = /(-?\d+(?:\.\d+)?)\s*([-+*/×x])\s*(-?\d+(?:\.\d+)?)/.exec(question);
  const chunks: UIMessageChunk[] = [{ type: 'start' }];
  if (sum) {
    const expression = `${sum[1]} ${sum[2] === '×' || sum[2] === 'x' ? '*' : sum[2]} ${sum[3]}`;
    const value = calculate(Number(sum[1]), sum[2]!, Number(sum[3]));
    const input = JSON.stringify({ expression });
    chunks.push({ type: 'start-step' }, ...words('calc', 'Let me work that out.'), {
      type: 'tool-input-start',
      toolCallId: `call-${Date.now()}`,
      toolName: 'calculator',
    });
    const toolCallId = (chunks[chunks.length - 1] as { toolCallId: string }).toolCallId;
    chunks.push(
      { type: 'tool-input-delta', toolCallId, inputTextDelta: input.slice(0, 10) },
      { type: 'tool-input-delta', toolCallId, inputTextDelta: input.slice(10) },
      { type: 'tool-input-available', toolCallId, toolName: 'calculator', input: { expression } },
      Number.isFinite(value)
        ? { type: 'tool-output-available', toolCallId, output: { value } }
        : { type: 'tool-output-error', toolCallId, errorText: 'division by zero' },
      { type: 'finish-step' },
      { type: 'start-step' },
      ...words(
        'answer',
        Number.isFinite(value) ? `${expression} = ${value}.` : `${expression} has no value.`,
      ),
      { type: 'finish-step' },
    );
  } else if (/\bstory\b/i.test(question)) {
    chunks.push({ type: 'start-step' }, ...words('story', STORY), { type: 'finish-step' });
  } else {
    const context = hasSummary ? ', starting with a summary of our earlier turns' : '';
    chunks.push(
      { type: 'start-step' },
      ...words('text', `You said “${question}”. I was sent ${messages.length} messages${context}.`),
      { type: 'finish-step' },
    );
  }
  chunks.push({ type: 'finish', finishReason: 'stop' });
  return chunks;
}

/** A text part streamed one word per chunk. */
function words(id: string, text: string): UIMessageChunk[] {
  const pieces = text.match(/\S+\s*/g) ?? [text];
  return [
    { type: 'text-start', id },
    ...pieces.map((delta): UIMessageChunk => ({ type: 'text-delta', id, delta })),
    { type: 'text-end', id },
  ];
}

function calculate(a: number, op: string, b: number): number {
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '/') return b === 0 ? Number.NaN : a / b;
  return a * b;
}

function textOf(message: UIMessage | undefined): string {
  return (message?.parts ?? []).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
}

/** A UIMessageChunk stream of `chunks`, one per macrotask (or `delayMs` apart), stopping on abort. */
export function chunkStream(
  chunks: readonly UIMessageChunk[],
  { delayMs = 0, abortSignal }: { delayMs?: number; abortSignal?: AbortSignal | undefined } = {},
): ReadableStream<UIMessageChunk> {
  let i = 0;
  return new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (abortSignal?.aborted) {
        controller.error(new DOMException('The request was aborted.', 'AbortError'));
        return;
      }
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}
