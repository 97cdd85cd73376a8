import type { Thresholds } from './settings';

/** What the words on the timeline mean: segment, summary, extractive. Collapsed to one line. */
export function Glossary({ thresholds }: { thresholds: Thresholds }) {
  return (
    <details className="glossary" data-testid="glossary">
      <summary>What are segments and summaries?</summary>
      <dl>
        <dt>Segment</dt>
        <dd data-testid="glossary-segment">
          One stretch of the conversation, stored as its own row. When a segment reaches{' '}
          {thresholds.tokenThreshold.toLocaleString('en-US')} tokens or {thresholds.maxTurnsPerSegment}{' '}
          messages, it is full: the next message closes it with a summary and starts a new segment. A full bar
          is normal, not an error.
        </dd>
        <dt>Summary</dt>
        <dd>
          What the model gets instead of the closed segments' messages: it sees the system prompt, the latest
          summary, then the current segment's messages (open “What the model sees next” below).
        </dd>
        <dt>Extractive</dt>
        <dd data-testid="glossary-extractive">
          A summary built without a model, from the messages' own words: how the conversation started, key
          facts (numbers, names, wishes), then the newest messages, within 4,000 characters; it says how many
          it left out. With an endpoint, the model writes the summary instead (“callback”).
        </dd>
      </dl>
    </details>
  );
}
