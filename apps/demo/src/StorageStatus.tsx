import { getStorageEstimate, type OpenedSessionStore, type StorageEstimate } from '@ai-session-manager/core';
import { useSessionStore, useSessions } from '@ai-session-manager/react';
import { useEffect, useState } from 'react';
import { formatBytes } from './format';

/** How often the estimate is read again while the page is open (it changes with every write). */
const REFRESH_MS = 10_000;

/**
 * Where conversations are kept: IndexedDB with the browser's usage/quota estimate and whether
 * the origin's storage is persistent (SessionProvider asks once the first conversation exists),
 * or memory only, with the reason, when the browser refused IndexedDB.
 */
export function StorageStatus({ storage }: { storage: Pick<OpenedSessionStore, 'kind' | 'error'> }) {
  const { conversations } = useSessions();
  const store = useSessionStore();
  const count = conversations?.length ?? 0;
  const [estimate, setEstimate] = useState<StorageEstimate | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when conversations come or go
  useEffect(() => {
    let current = true;
    const read = () =>
      void getStorageEstimate({ store }).then((next) => {
        if (current) setEstimate(next);
      });
    read();
    const timer = setInterval(read, REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [count, store]);

  if (storage.kind === 'memory') {
    return (
      <p className="storage storage--memory" role="alert" data-testid="storage-status" data-kind="memory">
        Not saved: this browser refuses IndexedDB here, so conversations last only until this tab closes.
        <span className="storage__detail">{storage.error?.message}</span>
      </p>
    );
  }
  const persisted = estimate?.persisted === true;
  return (
    <p
      className="storage"
      data-testid="storage-status"
      data-kind="indexeddb"
      data-persisted={estimate ? String(persisted) : ''}
      title={
        persisted
          ? 'The browser will not clear this data under storage pressure.'
          : 'The browser may clear this data when the disk runs low; it is asked to keep it once a conversation exists.'
      }
    >
      Saved on this device{estimate ? (persisted ? ' · persistent' : ' · best effort') : ''}
      {estimate && estimate.quota > 0 && (
        <span className="storage__detail" data-testid="storage-usage">
          {formatBytes(estimate.usage)} of {formatBytes(estimate.quota)} used
        </span>
      )}
      {estimate?.attachments && estimate.attachments.count > 0 && (
        <span className="storage__detail" data-testid="storage-files" data-count={estimate.attachments.count}>
          {estimate.attachments.count} file{estimate.attachments.count === 1 ? '' : 's'} ·{' '}
          {formatBytes(estimate.attachments.bytes)}
        </span>
      )}
    </p>
  );
}
