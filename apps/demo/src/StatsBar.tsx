import { useSessionStats } from '@ai-session-manager/react';
import { formatCost, formatCount } from './format';

/** Live totals of the whole conversation (every segment), read from the running totals. */
export function StatsBar({ conversationId }: { conversationId: string }) {
  const { stats, error } = useSessionStats(conversationId);
  if (error) {
    return (
      <div className="stats" role="alert">
        Stats unavailable: {error.message}
      </div>
    );
  }
  const items: [label: string, value: string, testId: string][] = [
    ['tokens', formatCount(stats?.totalTokens ?? 0), 'stat-tokens'],
    ['cost', formatCost(stats?.estimatedCost ?? 0), 'stat-cost'],
    ['segments', formatCount(stats?.sessionSegments ?? 0), 'stat-segments'],
    ['messages', formatCount(stats?.totalMessages ?? 0), 'stat-messages'],
    ['tool calls', formatCount(stats?.toolCalls ?? 0), 'stat-tool-calls'],
  ];
  // Reported by some providers only (prompt caching, reasoning models): shown when there are any.
  if (stats?.cachedPromptTokens) items.push(['cached', formatCount(stats.cachedPromptTokens), 'stat-cached']);
  if (stats?.reasoningTokens) items.push(['reasoning', formatCount(stats.reasoningTokens), 'stat-reasoning']);
  return (
    <dl className="stats" data-testid="stats-bar">
      {items.map(([label, value, testId]) => (
        <div className="stats__item" key={label}>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
