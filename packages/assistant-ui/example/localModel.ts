import type { ChatModelAdapter, ThreadMessage } from '@assistant-ui/react';

// An offline model for the example: it answers from the conversation itself and streams the
// answer word by word, so nothing leaves the browser.

function textOf(message: ThreadMessage | undefined): string {
  return (message?.content ?? [])
    .filter((p): p is Extract<typeof p, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join(' ');
}

/** What the local model says to `text`, the nth time it is asked in this thread (1-based). */
export function localReply(text: string, n: number): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const variant = n > 1 ? ` (take ${n})` : '';
  return `You said ${words.length} word${words.length === 1 ? '' : 's'}: "${text.trim()}". That is all I know${variant}, since I run offline in your browser.`;
}

/** A ChatModelAdapter that streams `localReply` word by word, `delayMs` apart. */
export function localModel({ delayMs = 40 }: { delayMs?: number } = {}): ChatModelAdapter {
  // How often each question was answered in this page: a reload gets a new "take".
  const asked = new Map<string, number>();
  return {
    async *run({ messages, abortSignal }) {
      const lastUser = [...messages].reverse().find((m) => m.role === 'user');
      const question = textOf(lastUser);
      const n = (asked.get(question) ?? 0) + 1;
      asked.set(question, n);
      const words = localReply(question, n).split(/(?<= )/);
      let text = '';
      for (const word of words) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (abortSignal.aborted) return;
        text += word;
        yield { content: [{ type: 'text', text }] };
      }
    },
  };
}
