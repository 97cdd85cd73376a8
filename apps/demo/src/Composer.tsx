import { useSession, useSessionStore } from '@ai-session-manager/react';
import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { answerTurn } from './answerTurn';
import { PendingMessage, type PendingTurn } from './PendingMessage';
import type { Responder } from './responder';
import { sessionOptions } from './sessionOptions';
import type { Thresholds } from './settings';

interface ComposerProps {
  conversationId: string;
  thresholds: Thresholds;
  responder: Responder;
  /** Called when the user sends a message. */
  onSend?(): void;
}

/**
 * Sends the user's message to the responder, and records the question, its tool calls and the
 * answer once the answer is there. Until then the message waits below the timeline; a failed
 * request keeps it there with the reason and a Retry button, and records (and charges) nothing.
 */
export function Composer({ conversationId, thresholds, responder, onSend }: ComposerProps) {
  const session = useSession(conversationId, sessionOptions(thresholds, responder));
  const store = useSessionStore();
  const [text, setText] = useState('');
  const [pending, setPending] = useState<PendingTurn | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const busy = pending?.status === 'sending';

  // An answer in flight is recorded even if the user switches conversation meanwhile: this
  // hook's manager belongs to the conversation the question was asked in.
  async function send(message: string) {
    setPending({ text: message, status: 'sending' });
    setNotice(null);
    try {
      await answerTurn(session, store, responder, message);
      setPending(null);
    } catch (error) {
      setPending({
        text: message,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      input.current?.focus();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    if (busy) {
      setNotice(
        `Still waiting for ${responder.model} to answer your last message. Yours stays here: send it when the answer is in.`,
      );
      return;
    }
    if (pending?.status === 'failed') {
      setNotice('Your last message was not answered: Retry it, or Edit it, before sending another.');
      return;
    }
    setText('');
    onSend?.();
    void send(message);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) onSubmit(event);
  }

  function onEdit() {
    if (!pending) return;
    setText(pending.text);
    setPending(null);
    setNotice(null);
    input.current?.focus();
  }

  const error = session.error?.message ?? null;
  return (
    <form className="composer" onSubmit={onSubmit} data-testid="composer">
      {pending && (
        <PendingMessage
          turn={pending}
          onRetry={() => {
            onSend?.();
            void send(pending.text);
          }}
          onEdit={onEdit}
        />
      )}
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
          onChange={(event) => {
            setText(event.target.value);
            if (notice && !busy) setNotice(null);
          }}
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
      <p className="composer__hint" data-testid="composer-status" data-busy={busy} aria-live="polite">
        {notice ? (
          <span className="composer__notice" data-testid="composer-notice">
            {notice}
          </span>
        ) : busy ? (
          `${responder.model} is answering…`
        ) : (
          `Enter to send, Shift+Enter for a new line · ${responder.model}`
        )}
      </p>
    </form>
  );
}
