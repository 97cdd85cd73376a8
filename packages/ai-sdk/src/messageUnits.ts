import type { UIMessage } from 'ai';

/**
 * What one UIMessage is recorded as, in order: a user message is one text unit; an assistant
 * message is a text unit per run of text parts (a tool part or a new step ends a run) and a tool
 * unit per tool call. Reasoning, files, sources and data parts are not recorded.
 */
export type MessageUnit =
  | { kind: 'text'; key: string; text: string; complete: boolean }
  | {
      kind: 'tool';
      key: string;
      name: string;
      toolCallId: string;
      input: unknown;
      output: unknown;
      error: string | null;
      /** A tool call is recorded once its output (or error) is there. */
      complete: boolean;
      /** The text unit of the same step that came before it, which asked for it. */
      parentKey?: string;
      /** Which step of the message (0-based): tool calls of a step with no text share it. */
      step: number;
      /** A `dynamic-tool` part (a tool not known when the app was built, e.g. from MCP). */
      dynamic: boolean;
    };

type Part = UIMessage['parts'][number] & Record<string, unknown>;

/**
 * Split `message` into units. `done`: the response is over (finished, stopped or failed), so
 * its last text run is complete too; before that, a run is complete once something follows it.
 */
export function messageUnits(message: UIMessage, done: boolean): MessageUnit[] {
  const parts = message.parts as Part[];
  if (message.role !== 'assistant') {
    const text = parts.flatMap((p) => (p.type === 'text' && typeof p.text === 'string' ? [p.text] : []));
    return [{ kind: 'text', key: 'text', text: text.join('\n\n'), complete: true }];
  }
  const units: MessageUnit[] = [];
  let run: string[] = [];
  let runStreaming = false;
  let runs = 0;
  let parentKey: string | undefined;
  let step = 0;
  let stepHasParts = false;
  const closeRun = (complete: boolean) => {
    if (!run.length) return;
    const key = `text-${runs++}`;
    units.push({ kind: 'text', key, text: run.join('\n\n'), complete: complete && (done || !runStreaming) });
    parentKey = key;
    run = [];
    runStreaming = false;
  };
  for (const part of parts) {
    if (part.type === 'step-start') {
      closeRun(true);
      parentKey = undefined;
      if (stepHasParts) step += 1;
      stepHasParts = false;
    } else if (part.type === 'text') {
      stepHasParts = true;
      run.push(String(part.text ?? ''));
      if (part.state === 'streaming') runStreaming = true;
    } else if (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) {
      stepHasParts = true;
      closeRun(true);
      const failed = part.state === 'output-error';
      const complete = (part.state === 'output-available' && part.preliminary !== true) || failed;
      units.push({
        kind: 'tool',
        key: `tool:${String(part.toolCallId)}`,
        name: part.type === 'dynamic-tool' ? String(part.toolName) : part.type.slice('tool-'.length),
        toolCallId: String(part.toolCallId),
        input: part.input ?? null,
        output: failed ? null : (part.output ?? null),
        error: failed ? String(part.errorText ?? 'error') : null,
        complete,
        ...(parentKey === undefined ? {} : { parentKey }),
        step,
        dynamic: part.type === 'dynamic-tool',
      });
    }
  }
  closeRun(done);
  return units;
}

/** What a message shows once recorded and read back: equal signatures need no refresh. */
export function contentSignature(message: UIMessage): string {
  // Tool calls still waiting for their output are not stored: they are no difference.
  const units = messageUnits(message, true).flatMap((u) =>
    u.kind === 'text' ? [['t', u.text]] : u.complete ? [['c', u.toolCallId, u.name, u.output, u.error]] : [],
  );
  return JSON.stringify([message.role, units]);
}
