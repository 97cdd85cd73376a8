import type { SessionManager } from '@ai-session-manager/core';
import type { ChatPersistedState } from '@tanstack/ai-client';

/** Root metadata this package writes: the chat's resume snapshot. */
export const RESUME = 'tanstackResume';

/** The resume snapshot TanStack persists with the messages (its type is internal to @tanstack/ai-client). */
export type ChatResumeSnapshot = NonNullable<ChatPersistedState['resume']>;

/** The chat's resume snapshot on the conversation's root metadata, written only when it changed. */
export class ResumePointer {
  /** The snapshot stored, as JSON text; undefined when none is. */
  private stored: string | undefined;

  /** The snapshot in a conversation's root metadata (which is then what is stored). */
  read(rootMetadata: Record<string, unknown> | undefined): ChatResumeSnapshot | undefined {
    const resume = rootMetadata?.[RESUME] as ChatResumeSnapshot | null | undefined;
    this.stored = resume ? JSON.stringify(resume) : undefined;
    return resume ?? undefined;
  }

  /** Store `resume` when it changed; `open` gives the conversation (created when there is a snapshot to keep). */
  async save(
    resume: ChatResumeSnapshot | undefined,
    open: (create: boolean) => Promise<SessionManager | undefined>,
  ): Promise<void> {
    const text = resume ? JSON.stringify(resume) : undefined;
    if (text === this.stored) return;
    const manager = await open(resume !== undefined);
    if (!manager) return;
    await manager.updateMetadata({ [RESUME]: resume ? JSON.parse(text as string) : null });
    this.stored = text;
  }

  /** The conversation is gone: nothing is stored. */
  forget(): void {
    this.stored = undefined;
  }
}
