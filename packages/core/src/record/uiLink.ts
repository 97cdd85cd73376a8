import type { LinkKeys } from './messageLink.ts';

// The event metadata tying an event to the AI SDK UIMessage it records: written by the AI SDK
// adapter and by `fromUIMessages`, read by `toUIMessages`. A stored format: keep the keys.
/** The UIMessage's id. */
export const UI_MESSAGE_ID = 'uiMessageId';
/** Which unit of the message (see RecordUnit). */
export const UI_UNIT = 'uiUnit';
/** The UIMessage's own `metadata`, when it had some (JSON). */
export const UI_METADATA = 'uiMetadata';

export const UI_LINK: LinkKeys = {
  messageId: UI_MESSAGE_ID,
  unit: UI_UNIT,
  metadata: UI_METADATA,
  keepEmptyMetadata: true,
};
