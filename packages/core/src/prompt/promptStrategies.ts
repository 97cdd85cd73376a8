// What each prompt strategy takes from the stored conversation.
import type { SessionStore } from '../storage/sessionStore.ts';
import type { ChatMessage, SessionEvent, ToolCallMessage } from '../domain/types.ts';
import { ConversationReader, isAssistantMessage, isUserMessage } from './conversationReader.ts';
import { isToolCallEvent, toolContextMessage } from './toolContext.ts';

export type PromptStrategy = 'minimal' | 'task' | 'tool' | 'conversation' | 'hierarchical';

export interface StrategyMessages {
  /** The summary to put first (hierarchical only). */
  summary?: string;
  messages: ChatMessage[];
}

/** The strategy's messages after the system prompt, from the segments `chain` (root first). */
export async function strategyMessages(
  strategy: PromptStrategy,
  store: SessionStore,
  chain: readonly string[],
  maxHistory: number,
): Promise<StrategyMessages> {
  const reader = new ConversationReader(store, chain);
  if (strategy === 'hierarchical') {
    const summary = await reader.latestSummary();
    const messages = (await reader.recentMessages(maxHistory, { headOnly: true })).map(toChat);
    return summary === undefined ? { messages } : { summary, messages };
  }
  return { messages: await BUILDERS[strategy](reader, maxHistory) };
}

type Builder = (reader: ConversationReader, maxHistory: number) => Promise<ChatMessage[]>;

const BUILDERS: Record<Exclude<PromptStrategy, 'hierarchical'>, Builder> = {
  async minimal(reader, maxHistory) {
    const after: SessionEvent[] = []; // newest first
    let lastUser: SessionEvent | undefined;
    for await (const e of reader.newestFirst()) {
      if (isUserMessage(e)) {
        lastUser = e;
        break;
      }
      after.push(e);
    }
    if (!lastUser) return [];
    const out = [toChat(lastUser)];
    const tools = after.filter(isToolCallEvent).slice(0, maxHistory).reverse();
    const assistantAt = after.findIndex(isAssistantMessage);
    const toolsMessage = tools.length ? toolContextMessage(tools) : undefined;
    const assistant = assistantAt >= 0 ? toChat(after[assistantAt]!) : undefined;
    // Newest-first indexes: a smaller index is a later event.
    const assistantIsLast = assistantAt >= 0 && assistantAt < after.findIndex(isToolCallEvent);
    const tail = assistantIsLast ? [toolsMessage, assistant] : [assistant, toolsMessage];
    return [...out, ...tail.filter((m): m is ChatMessage => m !== undefined)];
  },

  async task(reader, maxHistory) {
    const recent = await reader.recentMessages(maxHistory);
    const first = await reader.firstUserMessage();
    const head = first && !recent.some((e) => e.id === first.id) ? [first] : [];
    return [...head, ...recent].map(toChat);
  },

  async tool(reader, maxHistory) {
    const tools: SessionEvent<ToolCallMessage>[] = [];
    let lastUser: SessionEvent | undefined;
    for await (const e of reader.newestFirst()) {
      if (!lastUser && isUserMessage(e)) lastUser = e;
      else if (tools.length < maxHistory && isToolCallEvent(e)) tools.push(e);
      if (lastUser && tools.length === maxHistory) break;
    }
    const out = lastUser ? [toChat(lastUser)] : [];
    return tools.length ? [...out, toolContextMessage(tools.reverse())] : out;
  },

  async conversation(reader, maxHistory) {
    return (await reader.recentMessages(maxHistory)).map(toChat);
  },
};

function toChat(e: SessionEvent): ChatMessage {
  return { role: isUserMessage(e) ? 'user' : 'assistant', content: e.message as string };
}
