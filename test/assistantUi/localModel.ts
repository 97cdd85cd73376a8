import type { ChatModelAdapter, ThreadMessage } from '@assistant-ui/react';

/** The text of a thread message (its text parts). */
export function textOf(message: ThreadMessage | undefined): string {
  return (message?.content ?? [])
    .filter((p): p is Extract<typeof p, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join('');
}

export interface ScriptedModel extends ChatModelAdapter {
  /** Resolve the reply in flight past its first word (the model waits there until released when `hold` is set). */
  release(): void;
  /** Every request's messages (texts), in order. */
  calls: string[][];
}

/**
 * A ChatModelAdapter that streams `reply(lastUserText, n)` word by word (n: how many replies it
 * made so far). With `hold`, each reply stops after its first word until `release()`.
 */
export function scriptedModel(
  reply: (text: string, n: number) => string = (text, n) => `Reply ${n + 1} to ${text}`,
  { hold = false }: { hold?: boolean } = {},
): ScriptedModel {
  let gate: (() => void) | undefined;
  const model: ScriptedModel = {
    calls: [],
    release() {
      gate?.();
      gate = undefined;
    },
    async *run({ messages, abortSignal }) {
      const n = model.calls.length;
      model.calls.push(messages.map(textOf));
      const lastUser = [...messages].reverse().find((m) => m.role === 'user');
      const words = reply(textOf(lastUser), n).split(/(?<= )/);
      let text = '';
      for (const [i, word] of words.entries()) {
        if (abortSignal.aborted) return;
        text += word;
        yield { content: [{ type: 'text', text }] };
        if (i === 0 && hold) await new Promise<void>((resolve) => (gate = resolve));
        else await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
  };
  return model;
}
