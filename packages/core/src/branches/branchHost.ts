import type { Session, SessionEvent } from '../domain/types.ts';
import type { UserSaysOptions } from '../session/managerOptions.ts';
import type { ReplyHost } from '../streaming/replyHost.ts';
import type { BeginResponseOptions } from '../streaming/replyActions.ts';
import type { ResponseStream } from '../streaming/responseStream.ts';

/** A conversation forked from a closed segment, opened with the forking manager's options. */
export interface ForkedConversation {
  readonly conversationId: string;
  userSays(text: string, metadata?: Record<string, unknown>, options?: UserSaysOptions): Promise<string>;
  beginResponse(options?: BeginResponseOptions): Promise<ResponseStream>;
}

/** What branch actions need from their SessionManager: a reply host and two reads more. */
export interface BranchHost extends ReplyHost {
  /** Whether the conversation rolls over (stats then span every segment by default). */
  readonly infiniteContext: boolean;
  /** Every segment (root first) and every event of the conversation, as stored now. */
  readConversation(): Promise<{ segments: Session[]; events: SessionEvent[] }>;
  /** Open the stored conversation `rootId` with this manager's options (a fork just written). */
  openConversation(rootId: string): Promise<ForkedConversation>;
}
