import {
  type ConversationDocument,
  DuplicateIdError,
  exportConversation,
  importConversation,
  type SessionStore,
} from '@ai-session-manager/core';
import { useSessionStore } from '@ai-session-manager/react';
import { type ChangeEvent, useRef, useState } from 'react';
import { remapIds } from './remapIds';
import { scrubSecrets } from './scrubSecrets';

interface ExportImportProps {
  conversationId: string | null;
  /** Called with the id of the conversation an import created. */
  onImported(conversationId: string): void;
  /** What happened (shown by the page in its own row, so it never covers the stats); null clears it. */
  onNotice(notice: Notice | null): void;
  /** Removed from the export besides core's patterns (the endpoint's API key). */
  secrets?: readonly string[];
}

export type Notice = { kind: 'info' | 'error'; text: string };

/**
 * Export the selected conversation as a JSON file; import one from a file. Importing a document
 * whose ids already exist here (say, re-importing an export) adds it as a copy with fresh ids.
 */
export function ExportImport({
  conversationId,
  onImported,
  onNotice: setNotice,
  secrets,
}: ExportImportProps) {
  const store = useSessionStore();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function onExport() {
    if (!conversationId) return;
    setBusy(true);
    setNotice(null);
    try {
      // Rows stored by an older version (before the managers scrubbed) may still hold a key.
      const scrub = (text: string) => scrubSecrets(text, secrets);
      const doc = await exportConversation(conversationId, { store, scrub });
      const blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `conversation-${conversationId.slice(0, 8)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setNotice({ kind: 'error', text: `Export failed: ${messageOf(error)}` });
    } finally {
      setBusy(false);
    }
  }

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    setNotice(null);
    try {
      const id = await importFile(store, file);
      onImported(id.conversationId);
      setNotice({
        kind: 'info',
        text: id.copied
          ? `"${file.name}" is already here, so it was imported as a copy with new ids.`
          : `Imported "${file.name}".`,
      });
    } catch (error) {
      setNotice({ kind: 'error', text: `Import failed: ${messageOf(error)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="export-import">
      <button
        type="button"
        className="button"
        onClick={onExport}
        disabled={!conversationId || busy}
        data-testid="export-button"
      >
        Export
      </button>
      <button type="button" className="button" onClick={() => fileInput.current?.click()} disabled={busy}>
        Import
      </button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        tabIndex={-1}
        onChange={onFile}
        data-testid="import-input"
        aria-label="Import a conversation file"
      />
    </div>
  );
}

async function importFile(
  store: SessionStore,
  file: File,
): Promise<{ conversationId: string; copied: boolean }> {
  const text = await file.text();
  try {
    // Core parses and validates the document; an invalid one is refused with the failing path.
    const result = await importConversation(text, { store });
    return { conversationId: result.conversationId, copied: false };
  } catch (error) {
    if (!(error instanceof DuplicateIdError)) throw error;
  }
  // A valid document whose ids exist here (e.g. re-importing an export): import it as a copy.
  const copy = remapIds(JSON.parse(text) as ConversationDocument);
  // The copy is the newest conversation here: it goes to the top of the list.
  const now = new Date().toISOString();
  for (const session of copy.sessions) if (session.updatedAt < now) session.updatedAt = now;
  const root = copy.sessions.find((s) => s.id === copy.conversationId);
  if (root) {
    const title = typeof root.metadata.title === 'string' ? root.metadata.title : 'Imported conversation';
    root.metadata = { ...root.metadata, title: `${title} (copy)` };
  }
  const result = await importConversation(copy, { store });
  return { conversationId: result.conversationId, copied: true };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
