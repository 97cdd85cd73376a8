import type { MessagePart } from '@ai-session-manager/core';
import type { UIMessage } from '@tanstack/ai-client';
import { type TextPartLayout, textLayout, USER_SEPARATOR } from './textParts.ts';

/**
 * What one TanStack UIMessage is recorded as, in order: a user message is one text unit; an
 * assistant message is a text unit per run of text parts (a tool call ends a run) and a tool
 * unit per tool call (or per `tool-result` part whose call the message does not hold). Every
 * other part (thinking, image, audio, video, document, structured output…) is kept, whole and in
 * place, in the layout of the text unit it comes with.
 */
export type MessageUnit =
  | {
      kind: 'text';
      key: string;
      text: string;
      complete: boolean;
      /** How `text` splits into the chat's text parts, when one plain part would not say it. */
      layout?: TextPartLayout[];
      /** Its media parts' bytes as core file parts (stored as Blobs), named by the layout. */
      files?: MessagePart[];
    }
  | {
      kind: 'tool';
      key: string;
      name: string;
      toolCallId: string;
      input: unknown;
      output: unknown;
      error: string | null;
      /** Recorded once its output (or error) is there: a `tool-result` part, or the call's own `output`. */
      complete: boolean;
      /** The `tool-call` part and its `tool-result` part as the chat holds them (read back as they were). */
      chatParts: unknown[];
    };

type Part = Record<string, unknown> & { type: string };

/**
 * Split `message` into units. `done`: the message will not grow any more (its run ended, or a
 * message follows it), so its last text run is complete too; before that a run is complete
 * once something follows it.
 */
export function messageUnits(message: UIMessage, done: boolean): MessageUnit[] {
  const parts = message.parts as unknown as Part[];
  if (message.role !== 'assistant') {
    const kept = parts.filter((p) => p.type !== 'text' || typeof p.content === 'string');
    const texts = kept.filter((p) => p.type === 'text');
    const text = texts.map((p) => p.content).join(USER_SEPARATOR);
    return [withLayout({ kind: 'text', key: 'text', text, complete: true }, kept)];
  }
  const results = new Map<string, Part>();
  const calls = new Set<string>();
  for (const part of parts) {
    if (part.type === 'tool-result' && typeof part.toolCallId === 'string')
      results.set(part.toolCallId, part);
    if (part.type === 'tool-call') calls.add(String(part.id));
  }
  const units: MessageUnit[] = [];
  let run: Part[] = [];
  let runs = 0;
  const closeRun = (complete: boolean) => {
    if (!run.length) return;
    const text = run
      .map((p) => (p.type === 'text' && typeof p.content === 'string' ? p.content : ''))
      .join('');
    units.push(withLayout({ kind: 'text', key: `text-${runs++}`, text, complete }, run));
    run = [];
  };
  for (const part of parts) {
    if (part.type === 'tool-call') {
      closeRun(true);
      units.push(toolUnit(part, results.get(String(part.id))));
    } else if (part.type === 'tool-result' && !calls.has(String(part.toolCallId))) {
      // A result whose call is not in this message (restored or set by hand): kept as it is.
      closeRun(true);
      units.push(resultUnit(part));
    } else if (part.type !== 'tool-result') run.push(part);
  }
  closeRun(done);
  return units;
}

function withLayout(unit: MessageUnit & { kind: 'text' }, parts: Part[]): MessageUnit {
  const files: MessagePart[] = [];
  const layout = textLayout(parts, files);
  if (!layout) return unit;
  return files.length ? { ...unit, layout, files } : { ...unit, layout };
}

function toolUnit(call: Part, result: Part | undefined): MessageUnit {
  const toolCallId = String(call.id);
  const resultState = result?.state;
  const failed = call.state === 'error' || resultState === 'error';
  const hasOutput = call.output !== undefined || resultState === 'complete';
  const output = call.output !== undefined ? call.output : parseContent(result?.content);
  return {
    kind: 'tool',
    key: `tool:${toolCallId}`,
    name: String(call.name ?? 'tool'),
    toolCallId,
    input: call.input !== undefined ? call.input : parseContent(call.arguments),
    output: failed ? null : (output ?? null),
    error: failed ? String(result?.error ?? (call as { error?: unknown }).error ?? 'error') : null,
    complete: failed || hasOutput || call.state === 'complete',
    chatParts: result ? [call, result] : [call],
  };
}

/** A tool unit for a `tool-result` part alone: no call to record, its parts read back as they were. */
function resultUnit(result: Part): MessageUnit {
  const toolCallId = String(result.toolCallId);
  const failed = result.state === 'error';
  return {
    kind: 'tool',
    key: `tool:${toolCallId}`,
    name: String(result.name ?? 'tool'),
    toolCallId,
    input: null,
    output: failed ? null : (parseContent(result.content) ?? null),
    error: failed ? String(result.error ?? 'error') : null,
    complete: failed || result.state === 'complete',
    chatParts: [result],
  };
}

/** Tool arguments and results travel as JSON text: store them as JSON when they parse. */
function parseContent(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  if (value === '') return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
