// What a SessionManager and its recording calls accept.
import type { ProviderUsage } from '../domain/providerUsage.ts';
import type { Scrubber } from '../domain/scrubSecrets.ts';
import type { MessagePart } from '../domain/messageParts.ts';
import type { BranchLink } from '../domain/types.ts';
import type { SummarizeFn } from '../prompt/extractiveSummary.ts';
import type { LockManagerLike } from '../storage/rolloverLock.ts';
import type { SessionStore } from '../storage/sessionStore.ts';

/** What an event records as its model when neither the caller nor the response names one. */
export const UNKNOWN_MODEL = 'unknown';

export interface SessionManagerOptions {
  /** Segment to continue, or the id a new conversation gets. Default: a new UUID. */
  sessionId?: string;
  systemPrompt?: string;
  /** Start this new session as the next segment of the conversation that `parentId` belongs to. */
  parentId?: string;
  metadata?: Record<string, unknown>;
  /** Default: the shared DexieSessionStore (IndexedDB). */
  store?: SessionStore;
  infiniteContext?: boolean;
  tokenThreshold?: number;
  maxTurnsPerSegment?: number;
  /**
   * The model recorded, counted and priced for events that name none. Default: `UNKNOWN_MODEL`
   * ('unknown'): counts are estimated and cost is null (stats report those tokens as
   * unpriced), never another model's price.
   */
  defaultModel?: string;
  summarize?: SummarizeFn;
  /** How long a summarize callback may take before the built-in summary is used instead. */
  summaryTimeoutMs?: number;
  /**
   * Serializes rollovers across tabs so a lost race costs no summary. Default: the browser's
   * `navigator.locks` when present; `null` turns it off (the optimistic path alone).
   */
  locks?: LockManagerLike | null;
  /**
   * Applied to text before it is written: message text (userSays, aiResponds, editMessage,
   * streamed replies at each write), tool call errors, abort and run reasons, summary text and
   * summaryError, and the top-level string values of the metadata every call is given
   * (nested values, tool arguments and results are the app's structured data: not scrubbed).
   * E.g. `(t) => scrubSecrets(t, [apiKey])`. Default: none, everything is stored as given.
   */
  scrub?: Scrubber;
}

export interface AiRespondsOptions {
  model?: string;
  provider?: string;
  usage?: ProviderUsage;
  /** Use this id for the event (e.g. to link tool calls to it before it is written). */
  eventId?: string;
  /** The reply was cut short (stopped, failed): recorded as aborted with this reason, still counted. */
  abortReason?: string;
  /** Its place in the branch tree, when it is not simply the next message (see BranchLink). */
  branch?: BranchLink;
  /** The reply's parts (reasoning, sources, files…), stored exactly (see SessionEvent.parts). */
  parts?: MessagePart[];
  /** Any other key is stored in the event's metadata, the caller's own. */
  [metadata: string]: unknown;
}

/** userSays's options beside its metadata. */
export interface UserSaysOptions {
  /** Its place in the branch tree, when it is not simply the next message (see BranchLink). */
  branch?: BranchLink;
  /**
   * The message's parts (images, files, data…), stored exactly (see SessionEvent.parts). Images
   * and PDFs count toward its context tokens.
   */
  parts?: MessagePart[];
}

export interface ToolUsedOptions {
  error?: string | null;
  /** The assistant message event that asked for this call. */
  parentEventId?: string;
  toolCallId?: string;
  eventId?: string;
  /** The tool part as the UI library gave it (its state, approval, provider metadata), stored exactly. */
  parts?: MessagePart[];
  [metadata: string]: unknown;
}

export interface GetMessagesOptions {
  includeSystem?: boolean;
  /** Drop the oldest turns (never the system prompt or summary) until the prompt fits. */
  maxTokens?: number;
  /** Tokenizer used for maxTokens; default: the manager's defaultModel. */
  model?: string;
}
