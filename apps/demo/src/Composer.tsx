import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { useChat } from './chatContext';
import { PendingMessage } from './PendingMessage';
import type { Responder } from './responder';

interface ComposerProps {
  responder: Responder;
}

/**
 * Sends the user's message; the answer streams into the timeline, recorded from its first chunk
 * (see ChatProvider). Until then the message waits below the timeline; a failed request keeps it
 * there with the reason and a Retry button, and records (and charges) nothing. Stop ends a reply
 * that is streaming: what arrived stays, marked stopped.
 */
export function Composer({ responder }: ComposerProps) {
  const chat = useChat();
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  if (!chat) throw new Error('Composer needs a ChatProvider');
  const { pending, busy } = chat;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const message = text.trim();
    if (!message || !chat) return;
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
    setNotice(null);
    chat.send(message);
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) onSubmit(event);
  }

  function onEdit() {
    const back = chat?.takePending();
    if (back != null) setText(back);
    setNotice(null);
    input.current?.focus();
  }

  const streaming = chat.liveReplyId !== null;
  return (
    <form className="composer" onSubmit={onSubmit} data-testid="composer">
      {pending && <PendingMessage turn={pending} onRetry={chat.retry} onEdit={onEdit} />}
      {chat.error && (
        <p className="composer__error" role="alert" data-testid="composer-error">
          {chat.error}
        </p>
      )}
      {chat.notice && (
        <p className="composer__error" role="alert" data-testid="chat-notice">
          <span>{chat.notice}</span>{' '}
          <button
            type="button"
            className="button button--ghost"
            onClick={chat.dismissNotice}
            aria-label="Dismiss"
          >
            ×
          </button>
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
        {busy && (
          <button
            type="button"
            className="button composer__stop"
            data-testid="stop-button"
            onClick={chat.stop}
          >
            Stop
          </button>
        )}
        <button
          type="submit"
          className="button button--primary composer__send"
          data-testid="composer-send"
          disabled={busy || !chat.isReady || text.trim() === ''}
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
          `${responder.model} is ${streaming ? 'writing: Stop keeps what it wrote so far' : 'answering…'}`
        ) : (
          `Enter to send, Shift+Enter for a new line · ${responder.model}`
        )}
      </p>
    </form>
  );
}
