import type { Scrubber } from '../domain/scrubSecrets.ts';
import type { SessionStore } from '../storage/sessionStore.ts';

/** What a run needs from its SessionManager; the manager builds it, so runs stay out of its file. */
export interface RunHost {
  readonly store: SessionStore;
  /** The manager's `scrub` option (identity when none): applied to run reasons and metadata strings. */
  readonly scrub: Scrubber;
  /** Run `fn` in the manager's queue, after the calls made before it. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** Write the conversation's first segment if nothing is written yet; resolves to the conversation id. */
  ensureConversation(): Promise<string>;
  conversationId(): string;
  activeRunId(): string | undefined;
  setActiveRunId(id: string | undefined): void;
}
