// Synthesized, valid conversation chains for seeding stores through `importRecords`
// (writing 100,000 events one `userSays` at a time would take minutes and measure nothing).
import {
  addEventToTotals,
  countTokensSync,
  EventSource,
  EventType,
  emptyTotals,
  loadTokenizer,
  type Session,
  type SessionEvent,
  type TokenUsage,
} from '@ai-session-manager/core';

export interface ChainOptions {
  /** Total stored events, summaries included. */
  events: number;
  segments: number;
  /** Message texts, used round-robin. */
  texts: readonly string[];
  /** Token count of texts[i] (precomputed once: counting 100,000 texts is not what we measure). */
  tokens: readonly number[];
  model: string;
  systemPrompt?: string;
  /** Events in the head segment; by default every segment holds an equal share. */
  headEvents?: number;
}

export interface Chain {
  rootId: string;
  sessions: Session[];
  /** events[k] holds segment k's events, in seq order. */
  events: SessionEvent[][];
}

// A fixed synthetic price keeps totals realistic without loading the price catalog here.
const USD_PER_PROMPT_TOKEN = 2.5e-6;
const USD_PER_COMPLETION_TOKEN = 1e-5;

function usage(model: string, prompt: number, completion: number): TokenUsage {
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    model,
    estimatedCostUsd: prompt * USD_PER_PROMPT_TOKEN + completion * USD_PER_COMPLETION_TOKEN,
    source: 'counted',
  };
}

/**
 * A conversation of `segments` chained segments holding `events` events in all: gapless seq per
 * segment, alternating user and assistant messages, a SUMMARY closing every segment but the
 * head, and totals computed with core's own `addEventToTotals`, as a live store would have them.
 */
export function synthesizeChain(options: ChainOptions): Chain {
  const { events: total, segments, texts, tokens, model } = options;
  if (segments < 1 || total < segments)
    throw new Error('synthesizeChain: need at least one event per segment');
  const rootId = crypto.randomUUID();
  const sessions: Session[] = [];
  const events: SessionEvent[][] = [];
  let clock = Date.UTC(2025, 0, 1);
  let textIndex = 0;
  const tick = () => {
    clock += 1000;
    return new Date(clock).toISOString();
  };

  const head = options.headEvents;
  if (head !== undefined && (segments < 2 || total - head < segments - 1)) {
    throw new Error('synthesizeChain: headEvents leaves too few events for the other segments');
  }
  // Equal shares (remainder to the first segments), or `headEvents` for the head and equal
  // shares of the rest for the others.
  const shared = head === undefined ? total : total - head;
  const sharing = head === undefined ? segments : segments - 1;
  for (let k = 0; k < segments; k++) {
    const id = k === 0 ? rootId : crypto.randomUUID();
    const isHead = k === segments - 1;
    const count =
      isHead && head !== undefined ? head : Math.floor(shared / sharing) + (k < shared % sharing ? 1 : 0);
    const createdAt = tick();
    let totals = emptyTotals();
    const rows: SessionEvent[] = [];
    for (let seq = 0; seq < count; seq++) {
      const closing = !isHead && seq === count - 1;
      const i = textIndex++ % texts.length;
      const fromUser = seq % 2 === 0;
      const event: SessionEvent = closing
        ? {
            id: crypto.randomUUID(),
            sessionId: id,
            seq,
            timestamp: tick(),
            source: EventSource.SYSTEM,
            type: EventType.SUMMARY,
            message: `Summary of segments 0-${k}: ${texts[i]!.slice(0, 600)}`,
            metadata: { summarizer: 'extractive', segmentIndex: k },
            tokenUsage: usage(model, tokens[i]!, 0),
          }
        : {
            id: crypto.randomUUID(),
            sessionId: id,
            seq,
            timestamp: tick(),
            source: fromUser ? EventSource.USER : EventSource.LLM,
            type: EventType.MESSAGE,
            message: texts[i]!,
            metadata: fromUser ? {} : { model },
            tokenUsage: fromUser ? usage(model, tokens[i]!, 0) : usage(model, 0, tokens[i]!),
          };
      totals = addEventToTotals(totals, event);
      rows.push(event);
    }
    sessions.push({
      id,
      parentId: k === 0 ? null : sessions[k - 1]!.id,
      rootId,
      segmentIndex: k,
      ...(options.systemPrompt === undefined ? {} : { systemPrompt: options.systemPrompt }),
      metadata: {},
      state: {},
      createdAt,
      updatedAt: rows.at(-1)?.timestamp ?? createdAt,
      totals,
    });
    events.push(rows);
  }
  return { rootId, sessions, events };
}

/** Token counts of `texts` for `model`, for seeding events with realistic usage. */
export async function tokenCounts(texts: readonly string[], model: string): Promise<number[]> {
  await loadTokenizer(model);
  return texts.map((text) => countTokensSync(text, model));
}
