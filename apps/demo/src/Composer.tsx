import type { SessionStore } from '@ai-session-manager/core';
import { useSession, useSessionStore } from '@ai-session-manager/react';
import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import type { Responder } from './responder';
import type { Thresholds } from './settings';

interface ComposerProps {
  conversationId: string;
  thresholds: Thresholds;
  responder: Responder;
  /** Called when the user sends a message. */
  onSend?(): void;
}

/** Prompt budget handed to the responder: system prompt, summary and the newest turns that fit. */
const HISTORY_TOKENS = 8000;

/** Writes the user's message, asks the responder, records its tool calls and its answer. */
export function Composer({ conversationId, thresholds, responder, onSend }: ComposerProps) {
  const session = useSession(conversationId, {
    infiniteContext: true,
    tokenThreshold: thresholds.tokenThreshold,
    maxTurnsPerSegment: thresholds.maxTurnsPerSegment,
    defaultModel: responder.model,
    // The endpoint writes rollover summaries; the local responder leaves them to core's built-in one.
    ...(responder.summarize ? { summarize: responder.summarize } : {}),
  });
  const store = useSessionStore();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  // An answer in flight is recorded even if the user switches conversation meanwhile: this
  // hook's manager belongs to the conversation the question was asked in.
  async function send(message: string) {
    setBusy(true);
    setFailure(null);
    try {
      await session.userSays(message);
      await nameConversation(store, session.conversationId, message);
      // What the model should see now: system prompt, summary, the newest turns that fit.
      const history = await session.getMessagesForLLM({ maxTokens: HISTORY_TOKENS });
      const reply = await responder.respond({ text: message, history });
      const replyId = crypto.randomUUID();
      for (const call of reply.toolCalls) {
        await session.toolUsed(call.name, call.arguments, call.result, {
          error: call.error,
          toolCallId: call.toolCallId,
          parentEventId: replyId,
        });
      }
      await session.aiResponds(reply.text, {
        model: reply.model,
        provider: reply.provider,
        eventId: replyId,
        ...(reply.usage ? { usage: reply.usage } : {}),
      });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const message = text.trim();
    if (!message || busy) return;
    setText('');
    onSend?.();
    void send(message);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) onSubmit(event);
  }

  const error = failure ?? session.error?.message ?? null;
  return (
    <form className="composer" onSubmit={onSubmit} data-testid="composer">
      {error && (
        <p className="composer__error" role="alert" data-testid="composer-error">
          {error}
        </p>
      )}
      <div className="composer__row">
        <textarea
          ref={input}
          className="composer__input"
          data-testid="composer-input"
          aria-label="Message"
          placeholder={`Message ${responder.provider === 'local' ? 'the local responder (try “what is 12 * 7?”)' : responder.model}…`}
          rows={2}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          className="button button--primary composer__send"
          data-testid="composer-send"
          disabled={busy || !session.isReady || text.trim() === ''}
        >
          {busy ? 'Answering…' : 'Send'}
        </button>
      </div>
      <p className="composer__hint" data-testid="composer-status" data-busy={busy}>
        {busy
          ? `${responder.model} is answering…`
          : `Enter to send, Shift+Enter for a new line · ${responder.model}`}
      </p>
    </form>
  );
}

/** Give a new conversation a title (its first message) in the root segment's metadata. */
async function nameConversation(
  store: SessionStore,
  conversationId: string,
  firstMessage: string,
): Promise<void> {
  const root = await store.getSession(conversationId);
  if (!root || typeof root.metadata.title === 'string') return;
  const title = firstMessage.replace(/\s+/g, ' ').slice(0, 60);
  await store.updateSession(conversationId, { metadata: { ...root.metadata, title } });
}
