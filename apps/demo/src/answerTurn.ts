import {
  type FilePart,
  type MessagePart,
  type ProviderUsage,
  type ResponseStream,
  SessionNotFoundError,
  type SessionStore,
} from '@ai-session-manager/core';
import type { SessionActions } from '@ai-session-manager/react';
import type { Responder, ResponderRequest, ToolCallRecord } from './responder';
import { scrubSecrets } from './scrubSecrets';

/** What the answer loop writes with: a `useSession` result or a `SessionManager` (a fork's). */
export type Recorder = Pick<
  SessionActions,
  'toolUsed' | 'beginResponse' | 'userSays' | 'getMessagesForLLM' | 'getAlternatives'
> & {
  readonly conversationId: string;
};

export interface StreamOptions {
  signal: AbortSignal;
  /** Lease of the streamed reply (a short one in tests, see testHooks.ts). */
  leaseMs?: number;
  /** Called once the reply exists (at the first chunk). */
  onReply?(reply: ResponseStream): void;
  /** The reasoning so far, as it streams (stored with the reply when it ends). */
  onReasoning?(text: string): void;
}

/** The answer failed after it started: the partial reply is kept as aborted, with the reason. */
export class ReplyFailedError extends Error {
  override readonly name = 'ReplyFailedError';
}

/**
 * Stream `responder`'s answer into a reply that `open` creates at the first chunk, with the tool
 * calls made before it (each linked to the reply by `parentEventId`). A request that fails
 * before any chunk writes nothing and rethrows its error (the question waits with Retry); a
 * failure mid-stream aborts the reply (kept, with the scrubbed reason) and throws
 * ReplyFailedError; Stop (the signal) aborts it with reason "Stopped" and resolves.
 */
export async function streamAnswer(
  recorder: Recorder,
  responder: Responder,
  request: ResponderRequest,
  open: (toolCalls: ToolCallRecord[]) => Promise<ResponseStream>,
  { signal, onReply, onReasoning }: StreamOptions,
): Promise<ResponseStream | null> {
  const state: { reply: ResponseStream | null } = { reply: null };
  const early: ToolCallRecord[] = [];
  let usage: ProviderUsage | undefined;
  let reasoning = '';
  let text = '';
  // A reasoning model's thinking is stored with the reply (collapsed above it in the timeline).
  const parts = (): { parts?: MessagePart[] } =>
    reasoning
      ? {
          parts: [
            { type: 'reasoning', text: reasoning, state: 'done' },
            { type: 'text', text, state: 'done' },
          ],
        }
      : {};
  const started = async (): Promise<ResponseStream> => {
    if (!state.reply) {
      state.reply = await open(early);
      onReply?.(state.reply);
    }
    return state.reply;
  };
  try {
    for await (const chunk of responder.stream({ ...request, signal })) {
      if (chunk.kind === 'usage') usage = chunk.usage;
      else if (chunk.kind === 'reasoning') {
        reasoning += chunk.delta;
        await started();
        onReasoning?.(reasoning);
      } else if (chunk.kind === 'tool') {
        if (state.reply) await recordTool(recorder, chunk.call, state.reply.eventId);
        else early.push(chunk.call);
      } else if (chunk.delta) {
        const reply = await started();
        if (reply.status !== 'streaming') return reply; // discarded or taken over elsewhere
        text += chunk.delta;
        reply.append(chunk.delta);
      }
    }
    if (signal.aborted) throw new DOMException('Stopped', 'AbortError');
    const reply = await started();
    if (reply.status === 'streaming') await reply.finish({ ...(usage ? { usage } : {}), ...parts() });
    return reply;
  } catch (error) {
    const reply = state.reply;
    if (!reply) {
      if (signal.aborted) return null;
      throw error;
    }
    const reason = signal.aborted
      ? 'Stopped'
      : scrubSecrets(error instanceof Error ? error.message : String(error));
    if (reply.status === 'streaming') await reply.abort(reason, parts()).catch(() => undefined);
    if (signal.aborted) return reply;
    throw new ReplyFailedError(reason);
  }
}

export async function recordTool(recorder: Recorder, call: ToolCallRecord, replyId: string): Promise<void> {
  await recorder.toolUsed(call.name, call.arguments, call.result, {
    error: call.error,
    toolCallId: call.toolCallId,
    parentEventId: replyId,
  });
}

/** Record the question (and name a new conversation after it), then the tool calls, then begin the reply. */
export function openNewTurn(
  recorder: Recorder,
  store: SessionStore,
  responder: Responder,
  message: string,
  leaseMs: number | undefined,
  files: readonly FilePart[] = [],
): (toolCalls: ToolCallRecord[]) => Promise<ResponseStream> {
  return async (toolCalls) => {
    // Attachments are stored with the message (as Blobs) and count toward its context tokens.
    const parts = files.length ? { parts: [{ type: 'text', text: message }, ...files] } : {};
    await recorder.userSays(message, {}, parts);
    await nameConversation(store, recorder.conversationId, message);
    return openReply(recorder, responder, leaseMs)(toolCalls);
  };
}

/** Record the tool calls, then begin the reply (the question is already recorded: after an edit, a retry). */
export function openReply(
  recorder: Recorder,
  responder: Responder,
  leaseMs: number | undefined,
): (toolCalls: ToolCallRecord[]) => Promise<ResponseStream> {
  return async (toolCalls) => {
    const replyId = crypto.randomUUID();
    for (const call of toolCalls) await recordTool(recorder, call, replyId);
    return recorder.beginResponse({
      eventId: replyId,
      model: responder.model,
      provider: responder.provider,
      ...(leaseMs ? { leaseMs } : {}),
    });
  };
}

/** Give a new conversation a title (its first message) in the root segment's metadata. */
async function nameConversation(
  store: SessionStore,
  conversationId: string,
  firstMessage: string,
): Promise<void> {
  const oneLine = firstMessage.replace(/\s+/g, ' ').trim();
  const title = oneLine.length > 60 ? `${oneLine.slice(0, 59).trimEnd()}…` : oneLine;
  // A title set meanwhile (a rename in another tab) wins; other keys stay as stored.
  await store
    .patchSession(conversationId, (root) =>
      typeof root.metadata.title === 'string' ? {} : { metadata: { ...root.metadata, title } },
    )
    .catch((error: unknown) => {
      // Deleted in another tab meanwhile: nothing to name.
      if (!(error instanceof SessionNotFoundError)) throw error;
    });
}
