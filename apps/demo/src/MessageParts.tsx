import type { FilePart, MessagePart, SessionEvent } from '@ai-session-manager/core';
import { formatCount } from './format';

function isFile(part: MessagePart): part is FilePart {
  return part.type === 'file' && typeof part.mediaType === 'string' && typeof part.url === 'string';
}

/** The files a message holds (kept by an edit of it). */
export function filesOf(event: SessionEvent): FilePart[] {
  return (event.parts ?? []).filter(isFile);
}

/**
 * A reply's reasoning, collapsed above its text (reasoning models stream it before answering):
 * as stored, or `live` while this tab streams it (stored when the reply ends).
 */
export function Reasoning({ event, live = null }: { event: SessionEvent<string>; live?: string | null }) {
  const stored = (event.parts ?? [])
    .filter((p) => p.type === 'reasoning' && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('\n\n');
  const text = stored || live;
  if (!text) return null;
  return (
    <details className="message__reasoning" data-testid="message-reasoning" data-live={!stored}>
      <summary>{stored ? 'Reasoning' : 'Reasoning…'}</summary>
      <p>{text}</p>
    </details>
  );
}

/** The files a message holds: images shown, other files named; what they count toward the context. */
export function Attachments({ event }: { event: SessionEvent<string> }) {
  const files = filesOf(event);
  if (!files.length) return null;
  const media = event.tokenUsage?.mediaTokens;
  return (
    <div className="message__files" data-testid="message-files">
      <ul>
        {files.map((file, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a stored message's files never move
          <li key={`${file.filename ?? 'file'}-${i}`} className="attachment-chip">
            {file.mediaType.startsWith('image/') && file.url.startsWith('data:') ? (
              <img
                src={file.url}
                alt={file.filename ?? 'image'}
                className="message__image"
                data-testid="message-image"
              />
            ) : (
              <span aria-hidden>📄</span>
            )}
            <span>{file.filename ?? file.mediaType}</span>
          </li>
        ))}
      </ul>
      {media !== undefined && (
        <span
          className="message__hint"
          data-testid="media-tokens"
          title="Counted by the provider's rule for the model, from each image's size"
        >
          files: {formatCount(media)} tok{event.tokenUsage?.mediaEstimated ? ' (est.)' : ''} of the context
        </span>
      )}
    </div>
  );
}
