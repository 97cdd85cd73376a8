import { lessCountedCompletion } from './fromCore.ts';

/**
 * Bill once: a reply's text finished before it ended (the text before a tool call) is counted by
 * our tokenizer; the provider's usage for the whole response covers it again. The tally keeps
 * what was counted, by scope (a message id, or a text's event id), and takes it off the usage
 * recorded on the response's last text.
 */
export class CompletionTally {
  private readonly counted = new Map<string, number>();

  add(scope: string, completionTokens: number): void {
    if (completionTokens > 0) this.counted.set(scope, (this.counted.get(scope) ?? 0) + completionTokens);
  }

  /** What `scopes` were counted with, taken off the tally. */
  take(scopes: string | Iterable<string>): number {
    let total = 0;
    for (const scope of typeof scopes === 'string' ? [scopes] : scopes) {
      total += this.counted.get(scope) ?? 0;
      this.counted.delete(scope);
    }
    return total;
  }

  /** `usage` less what `scopes` were counted with (they are settled); undefined without usage. */
  billed<U extends { completionTokens?: number; totalTokens?: number }>(
    usage: U | undefined,
    scopes: string | Iterable<string>,
  ): U | undefined {
    const counted = this.take(scopes);
    return usage && lessCountedCompletion(usage, counted);
  }

  clear(): void {
    this.counted.clear();
  }
}
