import { ExportedMessageRepository, type ThreadMessage } from '@assistant-ui/react';
import { decodeMessage } from './messageCodec.ts';
import type { ThreadTree } from './threadTree.ts';

/** The stored tree as assistant-ui imports it. */
export function repositoryOf(tree: ThreadTree): ExportedMessageRepository {
  const items = [...tree.nodes.values()].map((node) => ({
    parentId: node.parentId,
    message: { ...decodeMessage(node.event, node.tools), id: node.id },
  }));
  return ExportedMessageRepository.fromBranchableArray(items, { headId: tree.headId });
}

/**
 * What a thread shows, compared across a store and a runtime: the same messages in any order
 * (the runtime exports its tree depth first) with the same text, status and tool results.
 */
export function signatureOf(messages: ExportedMessageRepository['messages']): string {
  return JSON.stringify(
    messages
      .map((m) => [
        m.message.id,
        m.parentId,
        textOf(m.message),
        m.message.status?.type ?? '',
        toolResultsOf(m.message),
      ])
      .sort(),
  );
}

/** The text parts of a message, as they are stored (joined by a blank line). */
export function textOf(message: ThreadMessage): string {
  return message.content
    .filter((p): p is Extract<typeof p, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join('\n\n');
}

/** Each tool call's result as the thread shows it (rewritten by an update in another tab). */
function toolResultsOf(message: ThreadMessage): string {
  return JSON.stringify(
    message.content.map((p) => (p.type === 'tool-call' ? [p.toolCallId, p.result ?? null, !!p.isError] : 0)),
  );
}
