import type { OpenedSessionStore } from '@ai-session-manager/core';
import { useSessionStore, useSessions } from '@ai-session-manager/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChatProvider } from './ChatProvider';
import { Composer } from './Composer';
import { ContextGauge } from './ContextGauge';
import { ContextPanel } from './ContextPanel';
import { conversationTitle } from './conversationTitle';
import { ExportImport, type Notice } from './ExportImport';
import { Glossary } from './Glossary';
import { createLocalResponder } from './localResponder';
import { createOpenAIResponder } from './openAIResponder';
import { SettingsPanel } from './SettingsPanel';
import { loadThresholds, type ResponderChoice, saveThresholds, type Thresholds } from './settings';
import { Sidebar } from './Sidebar';
import { StatsBar } from './StatsBar';
import { Timeline } from './Timeline';
import { useSelectedConversation } from './useHashRoute';

export function App({ storage }: { storage: Pick<OpenedSessionStore, 'kind' | 'error'> }) {
  const [selectedId, select] = useSelectedConversation();
  const store = useSessionStore();
  const { conversations, isLoading } = useSessions();
  const [thresholds, setThresholds] = useState<Thresholds>(loadThresholds);
  const [choice, setChoice] = useState<ResponderChoice>({ kind: 'local' });
  const [settingsOpen, setSettingsOpen] = useState(false);
  // On narrow screens the sidebar is a drawer over the conversation.
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [forkNotice, setForkNotice] = useState<string | null>(null);
  const [followSignal, setFollowSignal] = useState(0);
  const settingsToggle = useRef<HTMLButtonElement>(null);
  const follow = useCallback(() => setFollowSignal((n) => n + 1), []);
  const responder = useMemo(
    () => (choice.kind === 'openai' ? createOpenAIResponder(choice) : createLocalResponder()),
    [choice],
  );

  const startNew = useCallback(() => select(crypto.randomUUID()), [select]);

  // With nothing selected (or a link that names no valid id), open the newest conversation, or a new one.
  useEffect(() => {
    if (selectedId !== null || isLoading || !conversations) return;
    const newest = conversations[0];
    if (newest) select(newest.conversationId);
    else startNew();
  }, [selectedId, isLoading, conversations, select, startNew]);

  const onDelete = useCallback(
    async (id: string) => {
      setDeleteError(null);
      try {
        await store.deleteConversation(id);
        if (id === selectedId) {
          const next = conversations?.find((c) => c.conversationId !== id);
          if (next) select(next.conversationId);
          else startNew();
        }
      } catch (error) {
        setDeleteError(error instanceof Error ? error.message : String(error));
      }
    },
    [store, conversations, selectedId, select, startNew],
  );

  // Escape closes the drawer too.
  useEffect(() => {
    if (!sidebarOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSidebarOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [sidebarOpen]);

  const closeSettings = useCallback(() => {
    setSettingsOpen(false);
    settingsToggle.current?.focus();
  }, []);

  const onApply = useCallback(
    (next: Thresholds, nextChoice: ResponderChoice) => {
      setThresholds(next);
      saveThresholds(next);
      setChoice(nextChoice);
      closeSettings();
    },
    [closeSettings],
  );

  // An edit or regenerate in a summarized segment forked a new conversation: open it, and say so.
  const onForked = useCallback(
    (id: string, text: string) => {
      setForkNotice(text);
      select(id);
    },
    [select],
  );

  const onSelect = useCallback(
    (id: string) => {
      setSidebarOpen(false);
      setForkNotice(null);
      select(id);
    },
    [select],
  );
  const onNew = useCallback(() => {
    setSidebarOpen(false);
    startNew();
  }, [startNew]);

  const selected = conversations?.find((c) => c.conversationId === selectedId);
  const title = selected ? conversationTitle(selected) : 'New conversation';
  // Remounted when what a recording manager is built with changes.
  const sessionKey = `${selectedId}:${thresholds.tokenThreshold}:${thresholds.maxTurnsPerSegment}:${responder.model}`;

  return (
    <div
      className={`app${settingsOpen ? ' app--settings' : ''}${sidebarOpen ? ' app--sidebar-open' : ''}`}
      data-testid="app"
    >
      <Sidebar
        selectedId={selectedId}
        onSelect={onSelect}
        onNew={onNew}
        onDelete={onDelete}
        storage={storage}
      />
      {sidebarOpen && (
        <button
          type="button"
          className="sidebar-scrim"
          aria-label="Close the conversation list"
          onClick={() => setSidebarOpen(false)}
        />
      )}
      <main className="main">
        <header className="topbar">
          <button
            type="button"
            className="button topbar__menu"
            aria-expanded={sidebarOpen}
            aria-label="Conversations"
            onClick={() => setSidebarOpen((open) => !open)}
            data-testid="sidebar-toggle"
          >
            ☰
          </button>
          <div className="topbar__title">
            <h2 data-testid="conversation-heading" title={title}>
              {title}
            </h2>
            <span className="topbar__sub">
              infinite context · {thresholds.tokenThreshold.toLocaleString('en-US')} tokens or{' '}
              {thresholds.maxTurnsPerSegment} messages per segment · {responder.model}
            </span>
          </div>
          <div className="topbar__actions">
            <ExportImport
              conversationId={selected ? selected.conversationId : null}
              onImported={select}
              onNotice={setNotice}
              secrets={responder.secrets}
            />
            <button
              ref={settingsToggle}
              type="button"
              className="button"
              aria-expanded={settingsOpen}
              onClick={() => (settingsOpen ? closeSettings() : setSettingsOpen(true))}
              data-testid="settings-toggle"
            >
              Settings
            </button>
          </div>
        </header>
        {notice && (
          <p
            className={`banner banner--${notice.kind}`}
            role={notice.kind === 'error' ? 'alert' : 'status'}
            data-testid={notice.kind === 'error' ? 'import-error' : 'import-notice'}
          >
            <span>{notice.text}</span>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => setNotice(null)}
              aria-label="Dismiss"
            >
              ×
            </button>
          </p>
        )}
        {forkNotice && (
          <p className="banner banner--info" role="status" data-testid="fork-notice">
            <span>{forkNotice}</span>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => setForkNotice(null)}
              aria-label="Dismiss"
            >
              ×
            </button>
          </p>
        )}
        {deleteError && (
          <p className="banner banner--error" role="alert">
            Could not delete: {deleteError}
          </p>
        )}
        {selectedId && (
          <ChatProvider
            key={sessionKey}
            conversationId={selectedId}
            thresholds={thresholds}
            responder={responder}
            onNavigate={onForked}
            onSend={follow}
          >
            <StatsBar conversationId={selectedId} />
            <ContextGauge
              key={`gauge:${sessionKey}`}
              conversationId={selectedId}
              thresholds={thresholds}
              responder={responder}
            />
            <Glossary thresholds={thresholds} />
            <Timeline conversationId={selectedId} thresholds={thresholds} followSignal={followSignal} />
            <ContextPanel
              key={`context:${sessionKey}`}
              conversationId={selectedId}
              thresholds={thresholds}
              responder={responder}
            />
            <Composer responder={responder} />
          </ChatProvider>
        )}
      </main>
      {settingsOpen && (
        <SettingsPanel thresholds={thresholds} responder={choice} onApply={onApply} onClose={closeSettings} />
      )}
    </div>
  );
}
