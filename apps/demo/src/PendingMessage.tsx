import type { FilePart } from '@ai-session-manager/core';

/** A message sent to the model and not answered yet: in flight, or failed (with Retry). */
export interface PendingTurn {
  text: string;
  status: 'sending' | 'failed';
  /** Why the request failed: the URL and the likely cause (never the key). */
  error?: string;
  /** The question is already recorded (an edited message): only its answer is pending. */
  recorded?: boolean;
  /** Files attached to the question. */
  files?: FilePart[];
}

interface PendingMessageProps {
  turn: PendingTurn;
  onRetry(): void;
  onEdit(): void;
}

/** The user's message while it waits for an answer; after a failure, the reason, Retry and Edit. */
export function PendingMessage({ turn, onRetry, onEdit }: PendingMessageProps) {
  const failed = turn.status === 'failed';
  const state = turn.recorded
    ? failed
      ? 'not answered · nothing charged'
      : 'waiting for the answer to your edited message…'
    : failed
      ? 'not answered · not recorded, nothing charged'
      : 'waiting for the answer…';
  return (
    <div
      className={`pending-message${failed ? ' pending-message--failed' : ''}`}
      data-testid="pending-message"
      data-status={turn.status}
    >
      <div className="pending-message__meta">
        <span className="message__author">You</span>
        <span>{state}</span>
      </div>
      {!turn.recorded && (
        <p className="message__text" data-testid="pending-text">
          {turn.text}
        </p>
      )}
      {failed && (
        <>
          <p className="pending-message__error" role="alert" data-testid="pending-error">
            {turn.error}
          </p>
          <div className="pending-message__actions">
            <button
              type="button"
              className="button button--primary"
              onClick={onRetry}
              data-testid="retry-button"
            >
              Retry
            </button>
            {!turn.recorded && (
              <button type="button" className="button" onClick={onEdit} data-testid="edit-pending">
                Edit
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
