import type { ConversationSummary } from '@ai-session-manager/core';
import { memo } from 'react';
import { conversationTitle } from './conversationTitle';
import { formatCount, formatDate } from './format';

interface ConversationItemProps {
  conversation: ConversationSummary;
  selected: boolean;
  onSelect(id: string): void;
  onDelete(id: string): void;
}

/** One conversation in the sidebar: open it, or delete it (after a confirmation). */
export const ConversationItem = memo(function ConversationItem({
  conversation,
  selected,
  onSelect,
  onDelete,
}: ConversationItemProps) {
  const id = conversation.conversationId;
  const title = conversationTitle(conversation);
  return (
    <div
      className={`conversation${selected ? ' conversation--selected' : ''}`}
      data-testid="conversation-item"
      data-conversation-id={id}
      aria-current={selected ? 'true' : undefined}
    >
      <button type="button" className="conversation__open" onClick={() => onSelect(id)} title={title}>
        <span className="conversation__title" data-testid="conversation-title">
          {title}
        </span>
        <span className="conversation__meta">
          {formatCount(conversation.totals.messages)} msgs · {conversation.segments} seg ·{' '}
          {formatDate(conversation.updatedAt)}
        </span>
      </button>
      <button
        type="button"
        className="conversation__delete"
        aria-label={`Delete ${title}`}
        title="Delete"
        data-testid="delete-conversation"
        onClick={() => {
          if (window.confirm(`Delete "${title}" and all its segments?`)) onDelete(id);
        }}
      >
        ×
      </button>
    </div>
  );
});
