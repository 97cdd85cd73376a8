import type { SessionManager } from '@ai-session-manager/core';
import { type IdLedger, versionTarget } from '@ai-session-manager/core/record';
import type { UIMessage } from '@tanstack/ai-client';
import { TANSTACK_LINK } from './storedMessages.ts';

/** A message the chat removed and replaced at `at`: the next message there is a new version of it. */
interface Replaced {
  at: number;
  messageId: string;
  role: UIMessage['role'];
}

/**
 * Tells edits and regenerates apart from new messages: a message the chat dropped (reload, an
 * edit) and the one that takes its place are versions of one stored message (core's branches).
 */
export class MessageVersions {
  private readonly ledger: IdLedger;
  private replaced: Replaced | undefined;
  /** The stored message event the next text of chat message `messageId` is a new version of. */
  private next: { messageId: string; of: string } | undefined;
  private readonly roles = new Map<string, UIMessage['role']>();

  constructor(ledger: IdLedger) {
    this.ledger = ledger;
  }

  noteRole(messageId: string, role: UIMessage['role']): void {
    this.roles.set(messageId, role);
  }

  /** The chat dropped message `messageId` (the first of those it dropped) from index `at`. */
  dropped(messageId: string, at: number): void {
    const role = this.roles.get(messageId);
    this.replaced = this.ledger.knows(messageId) && role ? { at, messageId, role } : undefined;
  }

  /** The stored event `message`, at `index` of the chat's list, is a new version of; undefined: none. */
  async versionOf(manager: SessionManager, message: UIMessage, index: number): Promise<string | undefined> {
    const replaced = this.replaced?.at === index ? this.replaced : undefined;
    if (replaced) {
      this.replaced = undefined;
      const of = await this.target(manager, replaced, message);
      // The replaced message's units are forgotten now: the same id may come back as the new version.
      this.ledger.forget(replaced.messageId);
      this.next = of ? { messageId: message.id, of } : undefined;
    }
    return this.next?.messageId === message.id ? this.next.of : undefined;
  }

  /** Message `messageId` wrote its first unit: it is that version (or a new message) now. */
  used(messageId: string): void {
    if (this.next?.messageId === messageId) this.next = undefined;
  }

  /** The conversation is gone: nothing stored can be versioned. */
  clear(): void {
    this.replaced = undefined;
    this.next = undefined;
  }

  /** The stored event a new message at a replaced position is a version of, if core can branch it. */
  private async target(
    manager: SessionManager,
    replaced: Replaced,
    message: UIMessage,
  ): Promise<string | undefined> {
    if (replaced.role !== message.role) return undefined;
    const unit = message.role === 'user' ? 'text' : 'text-0';
    if (!this.ledger.has(replaced.messageId, unit)) return undefined;
    // Versions are made in the head segment only: core forks older ones into a new conversation.
    return versionTarget(manager, TANSTACK_LINK, {
      messageId: replaced.messageId,
      unit,
      eventId: this.ledger.eventId(replaced.messageId, unit),
    });
  }
}
