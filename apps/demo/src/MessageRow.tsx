import type { SessionEvent } from '@ai-session-manager/core';
import { memo, useState } from 'react';
import { type Chat, useChat } from './chatContext';
import { formatCost, formatCount, formatTime } from './format';
import { Attachments, filesOf, Reasoning } from './MessageParts';
import { useReplyStatus } from './replyStatusHook';

interface MessageRowProps {
  event: SessionEvent<string>;
  role: 'user' | 'assistant';
}

const STATUS_LABEL = {
  streaming: 'writing…',
  aborted: 'stopped',
  interrupted: 'interrupted',
} as const;

/**
 * A user or assistant message. Its text is a React text node: never parsed as HTML. A reply
 * shows its status while it streams, once stopped, or when its tab died (interrupted: Resume as
 * is / Discard); replies can be regenerated and user messages edited, and a message with
 * versions has a "2 / 3" switcher. Messages on another branch render nothing.
 */
export const MessageRow = memo(function MessageRow({ event, role }: MessageRowProps) {
  const chat = useChat();
  const status = useReplyStatus(event);
  const [draft, setDraft] = useState<string | null>(null);
  if (chat?.hidden?.has(event.id) || status === 'discarded') return <span hidden data-off-path="" />;
  const usage = event.tokenUsage;
  const model = typeof event.metadata.model === 'string' ? event.metadata.model : undefined;
  const tokens = usage
    ? (role === 'user' ? usage.promptTokens : usage.completionTokens) || usage.totalTokens
    : 0;
  const text = typeof event.message === 'string' ? event.message : String(event.message);
  const reason = event.reply?.abortReason;
  const label = status === 'complete' ? null : STATUS_LABEL[status];
  const own = chat?.liveReplyId === event.id;
  return (
    <article
      className={`message message--${role}${status === 'complete' ? '' : ` message--${status}`}`}
      data-testid="message-row"
      data-role={role}
      data-event-id={event.id}
      data-status={status}
    >
      <header className="message__meta">
        <span className="message__author">{role === 'user' ? 'You' : (model ?? 'Assistant')}</span>
        <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time>
        {usage && (
          <span title={`${usage.source} with ${usage.model}`}>
            {formatCount(tokens)} tok{usage.source === 'estimated' ? ' (est.)' : ''}
          </span>
        )}
        {usage?.estimatedCostUsd != null && usage.estimatedCostUsd > 0 && (
          <span>{formatCost(usage.estimatedCostUsd)}</span>
        )}
        {label && (
          <span
            className={`message__status message__status--${status}`}
            data-testid="message-status"
            title={
              status === 'streaming' && !own
                ? 'Being written in another tab'
                : status === 'interrupted'
                  ? 'Its tab closed or reloaded before the reply ended'
                  : reason
            }
          >
            {status === 'streaming' && !own && chat ? 'writing in another tab…' : label}
          </span>
        )}
      </header>
      {role === 'assistant' && <Reasoning event={event} live={own ? (chat?.liveReasoning ?? null) : null} />}
      {draft !== null && chat ? (
        <InlineEditor
          draft={draft}
          onChange={setDraft}
          onCancel={() => setDraft(null)}
          onSave={() => {
            const next = draft.trim();
            setDraft(null);
            if (next && next !== text) chat.edit(event.id, next, filesOf(event));
          }}
        />
      ) : (
        <p className="message__text" data-testid="message-text">
          {text}
        </p>
      )}
      <Attachments event={event} />
      {status === 'aborted' && reason && reason !== 'Stopped' && (
        <p className="message__note" data-testid="message-abort-reason">
          Broke off: {reason}
        </p>
      )}
      {chat && draft === null && (
        <MessageActions chat={chat} event={event} role={role} status={status} onEdit={() => setDraft(text)} />
      )}
    </article>
  );
});

function MessageActions({
  chat,
  event,
  role,
  status,
  onEdit,
}: {
  chat: Chat;
  event: SessionEvent<string>;
  role: 'user' | 'assistant';
  status: string;
  onEdit(): void;
}) {
  const versions = chat.alternativesOf(event);
  const closed = chat.headId !== undefined && event.sessionId !== chat.headId;
  const forkHint = closed ? ' (in a summarized segment: opens a new conversation)' : '';
  const settled = status === 'complete' || status === 'aborted';
  if (status === 'interrupted') {
    return (
      <div className="message__actions">
        <span className="message__hint">The reply stopped when its tab closed.</span>
        <button
          type="button"
          className="button"
          data-testid="resume-button"
          title="Keep the text so far as the final reply"
          onClick={() => chat.resume(event.id)}
        >
          Resume as is
        </button>
        <button
          type="button"
          className="button"
          data-testid="discard-button"
          onClick={() => chat.discard(event.id)}
        >
          Discard
        </button>
      </div>
    );
  }
  if (!settled && !versions) return null;
  return (
    <div className="message__actions">
      {versions && (
        <span className="version-switcher" data-testid="version-switcher">
          <button
            type="button"
            className="button button--ghost"
            aria-label="Previous version"
            title={
              closed ? 'In a summarized segment: versions can be read, not switched' : 'Previous version'
            }
            data-testid="version-prev"
            disabled={chat.busy || closed || versions.index === 0}
            onClick={() => chat.step(event.id, -1)}
          >
            ‹
          </button>
          <span data-testid="version-label">
            {versions.index + 1} / {versions.count}
          </span>
          <button
            type="button"
            className="button button--ghost"
            aria-label="Next version"
            title={closed ? 'In a summarized segment: versions can be read, not switched' : 'Next version'}
            data-testid="version-next"
            disabled={chat.busy || closed || versions.index === versions.count - 1}
            onClick={() => chat.step(event.id, 1)}
          >
            ›
          </button>
        </span>
      )}
      {settled && role === 'assistant' && (
        <button
          type="button"
          className="button button--ghost"
          data-testid="regenerate-button"
          title={`Write a new version of this reply${forkHint}`}
          disabled={chat.busy}
          onClick={() => chat.regenerate(event.id)}
        >
          ↻ Regenerate
        </button>
      )}
      {settled && role === 'user' && (
        <button
          type="button"
          className="button button--ghost"
          data-testid="edit-button"
          title={`Edit and send again; the old version stays${forkHint}`}
          disabled={chat.busy}
          onClick={onEdit}
        >
          ✎ Edit
        </button>
      )}
    </div>
  );
}

function InlineEditor({
  draft,
  onChange,
  onCancel,
  onSave,
}: {
  draft: string;
  onChange(text: string): void;
  onCancel(): void;
  onSave(): void;
}) {
  return (
    <div className="message__editor">
      <textarea
        className="composer__input"
        data-testid="edit-input"
        aria-label="Edit message"
        // biome-ignore lint/a11y/noAutofocus: the editor opens on the user's click
        autoFocus
        rows={3}
        value={draft}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            onSave();
          }
        }}
      />
      <div className="message__actions">
        <button type="button" className="button button--primary" data-testid="edit-save" onClick={onSave}>
          Save &amp; send
        </button>
        <button type="button" className="button" data-testid="edit-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
