import type { ChatTransport, UIMessage, UIMessageChunk } from 'ai';
import { chunkStream } from '../../packages/ai-sdk/example/localModelTransport';

// The example's chunk stream, so tests and the example replay chunks the same way.
export { chunkStream };

/** The chunks of one step that answers with `text` (split in `pieces` deltas). */
export function textStep(text: string, id = 'txt', pieces = 3): UIMessageChunk[] {
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const deltas: UIMessageChunk[] = [];
  for (let at = 0; at < text.length; at += size) {
    deltas.push({ type: 'text-delta', id, delta: text.slice(at, at + size) });
  }
  return [
    { type: 'start-step' },
    { type: 'text-start', id },
    ...deltas,
    { type: 'text-end', id },
    { type: 'finish-step' },
  ];
}

/** One step: some text, then a tool call whose input streams and whose output arrives. */
export function toolStep(
  text: string,
  call: {
    toolCallId: string;
    toolName: string;
    input: Record<string, unknown>;
    output?: unknown;
    errorText?: string;
  },
): UIMessageChunk[] {
  const inputText = JSON.stringify(call.input);
  const half = Math.floor(inputText.length / 2);
  const textId = `${call.toolCallId}-text`;
  return [
    { type: 'start-step' },
    { type: 'text-start', id: textId },
    { type: 'text-delta', id: textId, delta: text },
    { type: 'text-end', id: textId },
    { type: 'tool-input-start', toolCallId: call.toolCallId, toolName: call.toolName },
    { type: 'tool-input-delta', toolCallId: call.toolCallId, inputTextDelta: inputText.slice(0, half) },
    { type: 'tool-input-delta', toolCallId: call.toolCallId, inputTextDelta: inputText.slice(half) },
    { type: 'tool-input-available', toolCallId: call.toolCallId, toolName: call.toolName, input: call.input },
    ...(call.errorText !== undefined
      ? [{ type: 'tool-output-error' as const, toolCallId: call.toolCallId, errorText: call.errorText }]
      : call.output !== undefined
        ? [{ type: 'tool-output-available' as const, toolCallId: call.toolCallId, output: call.output }]
        : []),
    { type: 'finish-step' },
  ];
}

export interface ScriptedModel extends ChatTransport<UIMessage> {
  /** The messages each request carried, in order. */
  requests: UIMessage[][];
}

/**
 * A model behind a ChatTransport: each request gets the chunks `respond` returns for it
 * (wrapped in start/finish), streamed one per macrotask or `delayMs` apart.
 */
export function scriptedModel(
  respond: (messages: UIMessage[], request: number) => UIMessageChunk[],
  { delayMs = 0, finishMetadata }: { delayMs?: number; finishMetadata?: unknown } = {},
): ScriptedModel {
  const requests: UIMessage[][] = [];
  return {
    requests,
    async sendMessages({ messages, abortSignal }) {
      requests.push(structuredClone(messages));
      const chunks: UIMessageChunk[] = [
        { type: 'start' },
        ...respond(messages, requests.length - 1),
        finishMetadata === undefined
          ? { type: 'finish', finishReason: 'stop' }
          : { type: 'finish', finishReason: 'stop', messageMetadata: finishMetadata },
      ];
      return chunkStream(chunks, { delayMs, abortSignal });
    },
    async reconnectToStream() {
      return null;
    },
  };
}

/** The text of a UIMessage's text parts. */
export function textOf(message: UIMessage | undefined): string {
  return (message?.parts ?? []).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
}
