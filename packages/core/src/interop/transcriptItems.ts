// The shape every "to" converter renders: events grouped into system, user and assistant items,
// each assistant item carrying the tool calls linked to it by parentEventId.
import { activePath } from '../domain/activePath.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { summaryMessage } from '../prompt/summaryMessage.ts';
import { isFinished } from '../domain/replyStatus.ts';
import { isToolCallEvent } from '../prompt/toolContext.ts';
import { EventSource, EventType, type SessionEvent, type ToolCallMessage } from '../domain/types.ts';
import { objectArg } from '../domain/validate.ts';

export interface ToConverterOptions {
  /** Put this system prompt first (events do not hold it: it lives on the segment). */
  systemPrompt?: string;
  /**
   * Convert what the model sees after a rollover (as getMessagesForLLM does): the latest
   * summary in `events` becomes a system message after the system prompt, in place of the events
   * before it, which it summarizes. Off by default: the whole transcript, with no summary messages
   * (they would repeat what the transcript already holds).
   */
  includeSummary?: boolean;
  /**
   * The branch to follow: the head segment's `state.activeLeafId` (default: the path that ends
   * at the newest message). Other branches and unfinished replies are always left out.
   */
  activeLeafId?: string | null;
}

export interface ToolCallItem {
  /** The provider's tool call id when recorded, else the event id. */
  id: string;
  name: string;
  input: unknown;
  output: unknown;
  error: string | null;
  event: SessionEvent<ToolCallMessage>;
}

export type TranscriptItem =
  | { kind: 'system'; id: string; text: string }
  | { kind: 'user'; id: string; text: string; event: SessionEvent }
  /** `event` and `text` are null for tool calls recorded without an assistant message. */
  | {
      kind: 'assistant';
      id: string;
      text: string | null;
      event: SessionEvent | null;
      toolCalls: ToolCallItem[];
    };

type AssistantItem = Extract<TranscriptItem, { kind: 'assistant' }>;

/**
 * Items in event order. A tool call follows the assistant message it links to; tool calls with
 * no (earlier) assistant message in `events` are grouped, while consecutive, under one item with
 * no text, so every format can still show who asked for them. Summaries (unless asked for),
 * references and context bridges are left out.
 */
export function transcriptItems(
  stored: readonly SessionEvent[],
  opts?: ToConverterOptions,
): TranscriptItem[] {
  if (!Array.isArray(stored))
    throw new InvalidInputError('events must be an array of SessionEvents.', 'events');
  const options = objectArg<ToConverterOptions>(opts, 'options');
  const events = activePath(stored, options.activeLeafId).filter(
    (e) => e.type !== EventType.MESSAGE || isFinished(e),
  );
  const items: TranscriptItem[] = [];
  if (options.systemPrompt) items.push({ kind: 'system', id: 'system', text: options.systemPrompt });
  let from = 0;
  if (options.includeSummary) {
    // Not findLastIndex: the packages compile against an ES2022 lib (test/strict-consumer).
    let at = events.length - 1;
    while (at >= 0 && !(events[at]!.type === EventType.SUMMARY && typeof events[at]!.message === 'string'))
      at--;
    if (at >= 0) {
      items.push({
        kind: 'system',
        id: events[at]!.id,
        text: summaryMessage(events[at]!.message as string).content,
      });
      from = at + 1;
    }
  }
  const assistants = new Map<string, AssistantItem>();
  for (const e of events.slice(from)) {
    if (isToolCallEvent(e)) {
      const call = toolCallItem(e);
      const parent = e.parentEventId === undefined ? undefined : assistants.get(e.parentEventId);
      if (parent) {
        parent.toolCalls.push(call);
        continue;
      }
      // Consecutive calls with no assistant message form one step, unless they were recorded
      // as steps of their own (a `stepId` each), as a transcript of tool-only steps is.
      const last = items[items.length - 1];
      const step = e.metadata.stepId;
      if (
        last?.kind === 'assistant' &&
        last.event === null &&
        last.toolCalls[0]!.event.metadata.stepId === step
      ) {
        last.toolCalls.push(call);
      } else items.push({ kind: 'assistant', id: e.id, text: null, event: null, toolCalls: [call] });
      continue;
    }
    if (e.type !== EventType.MESSAGE || typeof e.message !== 'string') continue;
    if (e.source === EventSource.USER) items.push({ kind: 'user', id: e.id, text: e.message, event: e });
    else if (e.source === EventSource.SYSTEM) items.push({ kind: 'system', id: e.id, text: e.message });
    else {
      const item: AssistantItem = { kind: 'assistant', id: e.id, text: e.message, event: e, toolCalls: [] };
      assistants.set(e.id, item);
      items.push(item);
    }
  }
  return items;
}

/** What a model is shown as a tool's output: the error text, a text result as it is, else the result as JSON text. */
export function toolOutputText(call: ToolCallItem): string {
  if (call.error !== null) return call.error;
  return typeof call.output === 'string' ? call.output : JSON.stringify(call.output ?? null);
}

function toolCallItem(e: SessionEvent<ToolCallMessage>): ToolCallItem {
  const m = e.message;
  return {
    id: m.toolCallId ?? e.id,
    name: m.tool,
    input: m.arguments ?? null,
    output: m.result ?? null,
    error: typeof m.error === 'string' ? m.error : null,
    event: e,
  };
}
