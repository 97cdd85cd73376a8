/** Base class of every error the library throws on purpose, so apps can tell them apart. */
export class SessionManagerError extends Error {
  override name = 'SessionManagerError';
}

/** Opening an id that no stored segment has. */
export class SessionNotFoundError extends SessionManagerError {
  override name = 'SessionNotFoundError';
  constructor(readonly sessionId: string) {
    super(`No session or conversation with id "${sessionId}" exists in this store.`);
  }
}

/** Bad input: nothing was written. `path` names the offending field when there is one. */
export class InvalidInputError extends SessionManagerError {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** The store cannot be used here, e.g. no IndexedDB in Node or during server rendering. */
export class StorageUnavailableError extends SessionManagerError {
  override name = 'StorageUnavailableError';
}

/** A write failed in the store; the transaction was rolled back, so nothing partial is committed. */
export class StorageWriteError extends SessionManagerError {
  override name = 'StorageWriteError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The browser refused the write because the origin's storage quota is full. Nothing was written. */
export class StorageQuotaError extends StorageWriteError {
  override name = 'StorageQuotaError';
}

/** An id that must be new already exists (e.g. importing a conversation twice). */
export class DuplicateIdError extends SessionManagerError {
  override name = 'DuplicateIdError';
}

/** The conversation was deleted: its id is not used for a new root again (importing it again is allowed). */
export class ConversationDeletedError extends SessionManagerError {
  override name = 'ConversationDeletedError';
  constructor(readonly conversationId: string) {
    super(`Conversation "${conversationId}" was deleted; it is not created again (import it to restore it).`);
  }
}
