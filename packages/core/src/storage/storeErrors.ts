// IndexedDB's errors as the library's typed errors.
import {
  DuplicateIdError,
  SessionManagerError,
  StorageQuotaError,
  StorageUnavailableError,
  StorageWriteError,
} from '../domain/errors.ts';

/** Our own errors pass through; IndexedDB's become typed errors that say nothing was written. */
export function toStoreError(error: unknown, kind: 'read' | 'write'): unknown {
  if (error instanceof SessionManagerError) return error;
  const names = errorNames(error);
  if (names.includes('QuotaExceededError')) {
    return new StorageQuotaError(
      'The browser storage quota is full; the write was rolled back and nothing was saved. ' +
        'Free space (delete old conversations) or ask for persistent storage.',
      error,
    );
  }
  if (names.includes('ConstraintError')) {
    return new DuplicateIdError('An id that must be new is already used in this store; nothing was written.');
  }
  if (names.includes('MissingAPIError')) {
    return new StorageUnavailableError(
      'IndexedDB is not available here. Use `new MemorySessionStore()` instead.',
    );
  }
  // Dexie wraps every failure to open the database (private modes, a broken profile, a newer
  // schema from another tab, a denied origin) in OpenFailedError, on whichever call came first.
  if (names.includes('OpenFailedError') || names.includes('SecurityError')) return unavailable(error, names);
  const message = error instanceof Error ? error.message : String(error);
  if (kind === 'read') return error;
  return new StorageWriteError(`IndexedDB write failed and was rolled back: ${message}`, error);
}

interface WrappedError {
  name?: string;
  message?: string;
  inner?: unknown;
  cause?: unknown;
  failures?: { name?: string }[];
}

/** The error and what it wraps (Dexie's `inner`, `cause`), outermost first. */
function errorChain(error: unknown): WrappedError[] {
  const chain: WrappedError[] = [];
  let current = error as WrappedError | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    chain.push(current);
    current = (current.inner ?? current.cause) as WrappedError | undefined;
  }
  return chain;
}

function errorNames(error: unknown): string[] {
  const names: string[] = [];
  for (const e of errorChain(error)) {
    if (e.name) names.push(e.name);
    // Dexie's BulkError carries the per-row errors (e.g. ConstraintError) in `failures`.
    for (const failure of e.failures ?? []) if (failure?.name) names.push(failure.name);
  }
  return names;
}

/** Why the database cannot be opened, in words an app can show, with the browser's error as cause. */
export function unavailable(error: unknown, names = errorNames(error)): StorageUnavailableError {
  const detail = errorChain(error).at(-1)?.message || String(error);
  const why = names.includes('VersionError')
    ? 'a newer version of this app upgraded the database in another tab; reload to use it'
    : names.includes('InvalidStateError') || names.includes('SecurityError')
      ? 'the browser does not allow IndexedDB in this window (a private window or a blocked site)'
      : 'the browser could not open it';
  return new StorageUnavailableError(
    `IndexedDB cannot be used: ${why} (${detail}). Nothing already stored is affected. ` +
      "To keep working without it, use `openSessionStore({ fallback: 'memory' })` or `new MemorySessionStore()` " +
      '(sessions then last until the page closes).',
    error,
  );
}
