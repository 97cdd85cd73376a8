import { useSessions } from '@ai-session-manager/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { OpenedSessionStore } from '@ai-session-manager/core';
import { ConversationItem } from './ConversationItem';
import { StorageStatus } from './StorageStatus';

interface SidebarProps {
  selectedId: string | null;
  onSelect(conversationId: string): void;
  onNew(): void;
  onDelete(conversationId: string): void;
  /** Where conversations are kept (IndexedDB, or memory when the browser refused it). */
  storage: Pick<OpenedSessionStore, 'kind' | 'error'>;
}

const ROW_HEIGHT = 64;

/** Conversations, newest first (virtualized), with new / switch / delete. */
export function Sidebar({ selectedId, onSelect, onNew, onDelete, storage }: SidebarProps) {
  const { conversations, isLoading, error } = useSessions();
  const list = conversations ?? [];
  const unsaved = selectedId !== null && !list.some((c) => c.conversationId === selectedId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => list[index]?.conversationId ?? index,
    overscan: 10,
    useFlushSync: false,
  });

  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="sidebar__head">
        <h1 className="sidebar__title">Sessions</h1>
        <button
          type="button"
          className="button button--primary"
          onClick={onNew}
          data-testid="new-conversation"
        >
          + New
        </button>
      </div>
      {error && (
        <p className="sidebar__status" role="alert">
          {error.message}
        </p>
      )}
      {unsaved && (
        <div
          className="conversation conversation--selected conversation--unsaved"
          data-testid="conversation-unsaved"
        >
          <span className="conversation__title">New conversation</span>
          <span className="conversation__meta">not saved until the first message</span>
        </div>
      )}
      {!isLoading && list.length === 0 && !unsaved && (
        <p className="sidebar__status">No conversations yet.</p>
      )}
      <div className="sidebar__list" ref={scrollRef} data-testid="conversation-list">
        <div className="sidebar__canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const conversation = list[item.index]!;
            return (
              <div
                key={item.key}
                className="sidebar__row"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                <ConversationItem
                  conversation={conversation}
                  selected={conversation.conversationId === selectedId}
                  onSelect={onSelect}
                  onDelete={onDelete}
                />
              </div>
            );
          })}
        </div>
      </div>
      <StorageStatus storage={storage} />
    </nav>
  );
}
