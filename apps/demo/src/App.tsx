import { useSessionStore, useSessions } from '@ai-session-manager/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Composer } from './Composer';
import { ExportImport } from './ExportImport';
import { createLocalResponder } from './localResponder';
import { createOpenAIResponder } from './openAIResponder';
import { SettingsPanel } from './SettingsPanel';
import { loadThresholds, type ResponderChoice, saveThresholds, type Thresholds } from './settings';
import { conversationTitle } from './conversationTitle';
import { Sidebar } from './Sidebar';
import { StatsBar } from './StatsBar';
import { Timeline } from './Timeline';
import { useSelectedConversation } from './useHashRoute';

export function App() {
  const [selectedId, select] = useSelectedConversation();
  const store = useSessionStore();
  const { conversations, isLoading } = useSessions();
  const [thresholds, setThresholds] = useState<Thresholds>(loadThresholds);
  const [choice, setChoice] = useState<ResponderChoice>({ kind: 'local' });
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [followSignal, setFollowSignal] = useState(0);
  const follow = useCallback(() => setFollowSignal((n) => n + 1), []);
  const responder = useMemo(
    () => (choice.kind === 'openai' ? createOpenAIResponder(choice) : createLocalResponder()),
    [choice],
  );

  const startNew = useCallback(() => select(crypto.randomUUID()), [select]);

  // With nothing selected, open the newest conversation, or a new one.
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

  const onApply = useCallback((next: Thresholds, nextChoice: ResponderChoice) => {
    setThresholds(next);
    saveThresholds(next);
    setChoice(nextChoice);
    setSettingsOpen(false);
  }, []);

  const selected = conversations?.find((c) => c.conversationId === selectedId);
  const title = selected ? conversationTitle(selected) : 'New conversation';

  return (
    <div className={`app${settingsOpen ? ' app--settings' : ''}`}>
      <Sidebar selectedId={selectedId} onSelect={select} onNew={startNew} onDelete={onDelete} />
      <main className="main">
        <header className="topbar">
          <div className="topbar__title">
            <h2 data-testid="conversation-heading">{title}</h2>
            <span className="topbar__sub">
              infinite context · {thresholds.tokenThreshold.toLocaleString('en-US')} tokens or{' '}
              {thresholds.maxTurnsPerSegment} messages per segment · {responder.model}
            </span>
          </div>
          <div className="topbar__actions">
            <ExportImport conversationId={selected ? selected.conversationId : null} onImported={select} />
            <button
              type="button"
              className="button"
              aria-expanded={settingsOpen}
              onClick={() => setSettingsOpen((open) => !open)}
              data-testid="settings-toggle"
            >
              Settings
            </button>
          </div>
        </header>
        {deleteError && (
          <p className="banner banner--error" role="alert">
            Could not delete: {deleteError}
          </p>
        )}
        {selectedId && (
          <>
            <StatsBar conversationId={selectedId} />
            <Timeline conversationId={selectedId} thresholds={thresholds} followSignal={followSignal} />
            <Composer
              key={`${selectedId}:${thresholds.tokenThreshold}:${thresholds.maxTurnsPerSegment}:${responder.model}`}
              conversationId={selectedId}
              thresholds={thresholds}
              responder={responder}
              onSend={follow}
            />
          </>
        )}
      </main>
      {settingsOpen && (
        <SettingsPanel
          thresholds={thresholds}
          responder={choice}
          onApply={onApply}
          onClose={() => setSettingsOpen(false)}
        />
      )}
    </div>
  );
}
