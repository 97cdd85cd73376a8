import { registerModel } from '@ai-session-manager/core';
import { calculate, findExpression } from './calculator';
import {
  type Responder,
  type ResponderChunk,
  type ResponderRequest,
  sleep,
  type ToolCallRecord,
} from './responder';
import { REPLY_DELAY_MS } from './testHooks';

export const LOCAL_MODEL = 'local-responder';

// The local responder is free, and its tokens are counted with o200k_base like gpt-4o's.
registerModel({
  id: LOCAL_MODEL,
  inputPerMTok: 0,
  outputPerMTok: 0,
  contextWindow: 128_000,
  encoding: 'o200k_base',
});

const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i;
const STOP_WORDS = new Set(
  'about above after again also because been before being could does doing from have having here into just like more most much only other over same should some such than that their them then there these they this those through under until very what when where which while with would your yours'.split(
    ' ',
  ),
);

/**
 * Answers with no network: deterministic (the same conversation always gets the same replies),
 * and it calls a calculator tool when the message holds arithmetic, so tool calls show up. The
 * answer streams word by word, `delayMs` apart (so it can be stopped, and other tabs see it grow).
 */
export function createLocalResponder({ delayMs = REPLY_DELAY_MS }: { delayMs?: number } = {}): Responder {
  return {
    model: LOCAL_MODEL,
    provider: 'local',
    async *stream(request: ResponderRequest): AsyncGenerator<ResponderChunk> {
      const expression = findExpression(request.text);
      let text: string;
      if (expression !== null) {
        const args = { expression };
        const result = calculate(args);
        const error = 'error' in result ? result.error : null;
        const call: ToolCallRecord = {
          toolCallId: `call_${turnNumber(request)}_0`,
          name: 'calculator',
          arguments: args,
          result,
          error,
        };
        await sleep(delayMs, request.signal);
        yield { kind: 'tool', call };
        text =
          'value' in result
            ? `${expression} = ${formatNumber(result.value)}. I worked that out with the calculator tool.`
            : `I could not compute ${expression}: ${result.error}`;
      } else {
        text = reply(request);
      }
      if (request.files?.length) {
        const names = request.files.map((f) => f.filename ?? f.mediaType).join(', ');
        text = `You attached ${names}: it is stored with your message and counted in its context tokens. I am offline and cannot look at files; set a vision model in Settings to have one read it. ${text}`;
      }
      // Regenerated replies differ, as a model's would: the same history gets another variant.
      if (request.attempt && request.attempt > 1) text = `Take ${request.attempt}: ${text}`;
      // Word by word, each piece with the whitespace after it: the pieces join to the text.
      for (const delta of text.split(/(?<=\s)(?=\S)/)) {
        await sleep(delayMs, request.signal);
        yield { kind: 'text', delta };
      }
    },
  };
}

function reply(request: ResponderRequest): string {
  const { text, history } = request;
  const turn = turnNumber(request);
  const summary = history.find(
    (m) => m.role === 'system' && m.content.startsWith('Summary of the conversation'),
  );
  const memory = summary ? ` ${describeSummary(summary.content)}` : '';
  if (GREETING.test(text)) {
    return `Hello! I am the demo's offline responder: I run in this tab, with no network. Ask me something like "what is 12 * 7?" and I will use the calculator tool.${memory}`;
  }
  const words = text.split(/\s+/).filter(Boolean).length;
  const topics = keywords(text);
  const about = topics.length ? `about ${topics.join(', ')}` : 'without any long words';
  if (text.trim().endsWith('?')) {
    return `Good question. Offline, I can only reflect it: you asked ${about} (${words} words). Connect an OpenAI-compatible endpoint in Settings for real answers.${memory}`;
  }
  const variants = [
    `Noted: ${words} words ${about}. This is message ${turn} of the current segment.${memory}`,
    `Got it, ${about}. Keep going; every message is recorded with its token count and cost.${memory}`,
    `Understood (${words} words ${about}). When this segment reaches its threshold, it is summarized and a new one continues it.${memory}`,
  ];
  return variants[hash(text) % variants.length]!;
}

/**
 * What the responder can truthfully say about its memory, read from the summary it was given:
 * whether it keeps the conversation's start, and how many messages it left out.
 */
export function describeSummary(summary: string): string {
  const start = /Conversation start:\n- User: ([^\n]*)/.exec(summary)?.[1];
  const dropped = Number(/\((\d+) earlier messages? (?:is|are) left out/.exec(summary)?.[1] ?? 0);
  if (!start) return 'Earlier segments reach me only as a summary, not word for word.';
  const quote = start.length > 60 ? `${start.slice(0, 59)}…` : start;
  const gap =
    dropped > 0
      ? ` ${dropped} older message${dropped === 1 ? ' is' : 's are'} left out of it, so I may miss details from the middle.`
      : '';
  return `Earlier segments reach me as a summary that keeps how this conversation started (“${quote}”) and the latest messages.${gap}`;
}

/** Position of the message being answered in the current segment, 1-based. */
function turnNumber(request: ResponderRequest): number {
  return request.history.filter((m) => m.role === 'user' || m.role === 'assistant').length || 1;
}

function keywords(text: string): string[] {
  const seen = new Set<string>();
  for (const word of text.toLowerCase().match(/\p{L}[\p{L}'-]{3,}/gu) ?? []) {
    if (!STOP_WORDS.has(word)) seen.add(word);
    if (seen.size === 3) break;
  }
  return [...seen];
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
}

/** FNV-1a: a stable choice among reply variants. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
