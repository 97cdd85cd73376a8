/** Base class of every error the library throws on purpose, so apps can tell them apart. */
export class SessionManagerError extends Error {
  override name = 'SessionManagerError';
}

/**
 * A write meant for the head segment found it closed: another tab rolled the conversation over
 * meanwhile. Nothing was written; callers retry on the new head or report it.
 */
export class HeadMovedError extends SessionManagerError {
  override name = 'HeadMovedError';
  readonly sessionId: string;
  constructor(sessionId: string) {
    super(
      `Segment "${sessionId}" is no longer the head of its conversation (it was rolled over); nothing was written.`,
    );
    this.sessionId = sessionId;
  }
}

/** Opening an id that no stored segment has. */
export class SessionNotFoundError extends SessionManagerError {
  override name = 'SessionNotFoundError';
  readonly sessionId: string;
  constructor(sessionId: string) {
    super(`No session or conversation with id "${sessionId}" exists in this store.`);
    this.sessionId = sessionId;
  }
}

/** Bad input: nothing was written. `path` names the offending field when there is one. */
export class InvalidInputError extends SessionManagerError {
  override name = 'InvalidInputError';
  readonly path?: string;
  constructor(message: string, path?: string) {
    super(message);
    this.path = path;
  }
}

/**
 * The store cannot be used here: no IndexedDB (Node, server rendering) or a database the browser
 * will not open (Firefox private windows before 115, a blocked site, a newer schema). `cause` is
 * the browser's error when there is one.
 */
export class StorageUnavailableError extends SessionManagerError {
  override name = 'StorageUnavailableError';
  override readonly cause?: unknown;
  constructor(message: string, cause?: unknown) {
    super(message);
    this.cause = cause;
  }
}

/** A write failed in the store; the transaction was rolled back, so nothing partial is committed. */
export class StorageWriteError extends SessionManagerError {
  override name = 'StorageWriteError';
  override readonly cause?: unknown;
  constructor(message: string, cause?: unknown) {
    super(message);
    this.cause = cause;
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

/** A streamed reply is not in the state the call needs (finished, discarded, live in another tab). */
export class ReplyStateError extends SessionManagerError {
  override name = 'ReplyStateError';
}

/** A message cannot be branched that way (not a message of the conversation, closed segment). */
export class BranchError extends SessionManagerError {
  override name = 'BranchError';
}

/** The conversation was deleted: its id is not used for a new root again (importing it again is allowed). */
export class ConversationDeletedError extends SessionManagerError {
  override name = 'ConversationDeletedError';
  readonly conversationId: string;
  constructor(conversationId: string) {
    super(`Conversation "${conversationId}" was deleted; it is not created again (import it to restore it).`);
    this.conversationId = conversationId;
  }
}
