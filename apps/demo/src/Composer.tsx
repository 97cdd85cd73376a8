import type { FilePart } from '@ai-session-manager/core';
import { type DragEvent, type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { ACCEPTED, filesToParts } from './attachFiles';
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
  const [files, setFiles] = useState<(FilePart & { key: string })[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
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
    chat.send(
      message,
      files.map(({ key: _key, ...part }) => part),
    );
    setFiles([]);
    input.current?.focus();
  }

  async function attach(list: FileList | null) {
    if (!list?.length) return;
    const { parts, refused } = await filesToParts(Array.from(list));
    setFiles((held) => [...held, ...parts.map((part) => ({ ...part, key: crypto.randomUUID() }))]);
    setNotice(refused);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    void attach(event.dataTransfer.files);
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
    <form
      className={`composer${dragging ? ' composer--dragging' : ''}`}
      onSubmit={onSubmit}
      data-testid="composer"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
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
      {files.length > 0 && (
        <ul className="composer__files" data-testid="composer-files" aria-label="Attached files">
          {files.map((file) => (
            <li key={file.key} className="attachment-chip">
              {file.mediaType.startsWith('image/') && (
                <img src={file.url} alt="" className="attachment-chip__thumb" />
              )}
              <span>{file.filename}</span>
              <button
                type="button"
                className="button button--ghost"
                aria-label={`Remove ${file.filename}`}
                onClick={() => setFiles((held) => held.filter((f) => f.key !== file.key))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer__row">
        <input
          ref={picker}
          type="file"
          multiple
          accept={ACCEPTED}
          hidden
          data-testid="composer-file-input"
          onChange={(event) => {
            void attach(event.target.files);
            event.target.value = '';
          }}
        />
        <button
          type="button"
          className="button button--ghost composer__attach"
          data-testid="composer-attach"
          aria-label="Attach a file"
          title="Attach an image, PDF or text file (or drop it here)"
          onClick={() => picker.current?.click()}
        >
          Attach
        </button>
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
