import type { ChatMessage } from '../domain/types.ts';

/** Called at rollover with the closing segment's messages and the previous segment's summary. */
export type SummarizeFn = (messages: ChatMessage[], previousSummary?: string) => Promise<string> | string;

const MAX_LINE_CHARS = 200;
const MAX_SUMMARY_CHARS = 4000;
/** Room kept for the start of the conversation and for key facts; the newest messages get the rest. */
const START_CHARS = 700;
const FACT_CHARS = 160;
const FACTS_CHARS = 1000;

const START = 'Conversation start:';
const FACTS = 'Key facts from left-out messages:';
const RECENT = 'Latest messages:';
const EARLIER = 'Earlier summary:';
const DROPPED = /^\((\d+) earlier messages? (?:is|are) left out/;

/** What makes a user statement worth keeping as a fact once it leaves the summary: numbers, names, wishes, decisions. */
const FACTUAL =
  /\d|\b(?:my|our|name|call me|i am|i'm|we are|remember|need|want|must|goal|plan|budget|deadline|prefer|decided?)\b/i;

/** A statement (not a question) with a number, a name or a wish in it. */
function isFact(text: string): boolean {
  return !text.trimEnd().endsWith('?') && FACTUAL.test(text);
}

interface Parts {
  start: string[];
  facts: string[];
  recent: string[];
  dropped: number;
}

/**
 * The built-in extractive summary, used without a callback or when the callback fails.
 * Cumulative (it folds in the previous summary) and covering both sides of the conversation,
 * within 4,000 characters: it always keeps how the conversation started (the first user message
 * and its answer), keeps factual user messages (numbers, names, wishes) as key facts when they
 * leave it, then the newest messages that fit, and says how many messages it left out.
 * Nested summaries are folded, never stacked under repeated labels.
 */
export async function extractiveSummary(
  messages: readonly ChatMessage[],
  previousSummary?: string,
): Promise<string> {
  const lines = messages
    .filter((m) => (m.role === 'user' || m.role === 'assistant') && typeof m.content === 'string')
    .map((m) => `- ${m.role === 'user' ? 'User' : 'Assistant'}: ${oneLine(m.content, MAX_LINE_CHARS)}`);
  const parts = previousSummary ? parse(previousSummary) : { start: [], facts: [], recent: [], dropped: 0 };
  let recent = [...parts.recent, ...lines];
  if (parts.start.length === 0) {
    // The first user message (the goal) and the answer to it.
    const firstUser = recent.findIndex((line) => line.startsWith('- User:'));
    const take = firstUser < 0 ? 0 : recent[firstUser + 1]?.startsWith('- Assistant:') ? 2 : 1;
    parts.start = recent.slice(Math.max(firstUser, 0), Math.max(firstUser, 0) + take);
    recent = recent.slice(Math.max(firstUser, 0) + take);
  }
  const start = fitFromStart(parts.start, START_CHARS);
  const whole = render(start, parts.facts, recent, parts.dropped);
  if (whole.length <= MAX_SUMMARY_CHARS) return whole;
  // Too long: keep the newest messages that fit beside the start, room for facts and the note.
  let room = MAX_SUMMARY_CHARS - render(start, [], [], 0).length - FACTS_CHARS - FACTS.length - 140;
  let keep = recent.length;
  while (keep > 0 && recent[keep - 1]!.length + 1 <= room) room -= recent[--keep]!.length + 1;
  const left = recent.slice(0, keep);
  // Factual user messages that leave the summary stay as key facts (the earliest that fit: the
  // ground the conversation was built on; later ones are still among the latest messages for a while).
  const facts = fitWhole(
    [
      ...parts.facts,
      ...left
        .filter((line) => line.startsWith('- User:') && isFact(line.slice(7)))
        .map((line) => `- ${oneLine(line.slice(7), FACT_CHARS)}`),
    ],
    FACTS_CHARS,
  );
  return clip(render(start, facts, recent.slice(keep), parts.dropped + left.length), MAX_SUMMARY_CHARS);
}

function render(start: string[], facts: string[], recent: string[], dropped: number): string {
  const sections: string[] = [];
  if (start.length) sections.push(`${START}\n${start.join('\n')}`);
  if (facts.length) sections.push(`${FACTS}\n${facts.join('\n')}`);
  sections.push(`${RECENT}\n${recent.length ? recent.join('\n') : '(no messages)'}`);
  if (dropped > 0) {
    sections.push(
      `(${dropped} earlier message${dropped === 1 ? ' is' : 's are'} left out of this summary to keep it within ${MAX_SUMMARY_CHARS.toLocaleString('en-US')} characters.)`,
    );
  }
  return sections.join('\n\n');
}

/** Read a previous summary: our own sections, or any other text (a callback's) as one line of the start. */
function parse(summary: string): Parts {
  const parts: Parts = { start: [], facts: [], recent: [], dropped: 0 };
  const trimmed = summary.trim();
  if (!trimmed.startsWith(START) && !trimmed.startsWith(FACTS) && !trimmed.startsWith(RECENT)) {
    // Older built-in summaries began with "Earlier:" / "Latest part:"; callbacks write free text.
    parts.start = [
      `- ${EARLIER} ${oneLine(trimmed.replace(/^(?:Earlier:|Latest part:)\s*/, ''), START_CHARS - 40)}`,
    ];
    return parts;
  }
  let section: string[] | undefined;
  for (const line of trimmed.split('\n')) {
    if (line === START) section = parts.start;
    else if (line === FACTS) section = parts.facts;
    else if (line === RECENT) section = parts.recent;
    else if (DROPPED.test(line)) parts.dropped = Number(DROPPED.exec(line)![1]);
    else if (line.startsWith('- ')) section?.push(line);
  }
  return parts;
}

/** The first lines that fit in `max` characters (the last one clipped to fit). */
function fitFromStart(lines: string[], max: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const line of lines) {
    const room = max - used;
    if (room < 20) break;
    const kept = clip(line, room);
    out.push(kept);
    used += kept.length + 1;
  }
  return out;
}

/** The first whole lines that fit in `max` characters. */
function fitWhole(lines: string[], max: number): string[] {
  let used = 0;
  let count = 0;
  while (count < lines.length && used + lines[count]!.length + 1 <= max) used += lines[count++]!.length + 1;
  return lines.slice(0, count);
}

function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
