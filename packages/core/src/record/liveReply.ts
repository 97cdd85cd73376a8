import type { MessagePart, ProviderUsage, ResponseStream, SessionEvent } from './fromCore.ts';

/** How a response ended, for its last text: stopped by the user, or failed. */
export interface ReplyEnd {
  aborted?: boolean;
  error?: string;
}

/** Whether the response was cut short (its text is kept as aborted, with no usage). */
export function isCut(end: ReplyEnd | undefined): boolean {
  return end?.aborted === true || end?.error !== undefined;
}

/**
 * A text unit streamed into a reply event (core's beginResponse) while it is incomplete. The
 * library hands over the whole text so far each time; the reply gets only what it has not seen,
 * synchronously once begun and in order before that.
 */
export class LiveReply {
  readonly messageId: string;
  readonly key: string;
  /** The reply's handle once begun; undefined before, or when beginning failed. */
  stream: ResponseStream | undefined;
  /** Resolves to the handle, or to undefined when beginning failed. */
  readonly begun: Promise<ResponseStream | undefined>;
  private shown = 0;
  private waiting = '';

  constructor(messageId: string, key: string, begin: Promise<ResponseStream>) {
    this.messageId = messageId;
    this.key = key;
    this.begun = begin.then(
      (stream) => {
        this.stream = stream;
        if (this.waiting !== '' && stream.status === 'streaming') stream.append(this.waiting);
        this.waiting = '';
        return stream;
      },
      () => undefined,
    );
  }

  /** The text so far: hand the reply what is new in it. */
  show(text: string): void {
    if (text.length <= this.shown) return;
    const delta = text.slice(this.shown);
    this.shown = text.length;
    if (this.stream) {
      if (this.stream.status === 'streaming') this.stream.append(delta);
    } else this.waiting += delta;
  }

  /**
   * Core stops a reply whose background write was refused (its conversation deleted by another
   * tab, or the reply taken over elsewhere): that write's error, once it happened.
   */
  refusal(): unknown {
    const stream = this.stream;
    return stream?.status === 'discarded' ? stream.lastError : undefined;
  }

  /**
   * Finish the reply (with `usage` and its `parts` when given) or, when the response was cut,
   * abort it with the text so far. Resolves to the finished event; undefined when there was nothing to end.
   */
  async end(
    end: ReplyEnd | undefined,
    usage?: ProviderUsage,
    model?: string,
    parts?: MessagePart[],
  ): Promise<SessionEvent | undefined> {
    const stream = await this.begun;
    if (stream?.status !== 'streaming') return undefined;
    const withParts = parts ? { parts } : {};
    if (isCut(end)) {
      await stream.abort(end?.error ?? 'stopped', withParts);
      return undefined;
    }
    return await stream.finish({ ...(usage ? { usage } : {}), ...(model ? { model } : {}), ...withParts });
  }
}
