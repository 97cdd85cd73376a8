/**
 * `@ai-session-manager/core/record`: the shared "UI message list → event log" machinery the
 * adapters (AI SDK, TanStack AI, assistant-ui) build on. An adapter keeps only its library's rules
 * (when a message is complete, which list change is an edit) and composes these:
 *
 * - **Units** (`RecordUnit`): split each library message into text runs and tool calls with
 *   stable keys (`text`, `text-0`…, `tool:<id>`). `uiMessageUnits` is the one reader of AI SDK parts.
 * - **Links** (`LinkKeys`, `linkMetadata`): the event metadata naming the library message and unit
 *   an event records. The keys are the adapter's stored format: keep them and old conversations load.
 * - **Ledger** (`IdLedger`): message id → unit → event id, filled by writes and `learn(events)`, so
 *   a unit is written once, in any tab.
 * - **Writes** (`writeUserText`, `writeToolCall`, `beginReply`, `keepLateMetadata`) and **version
 *   placement** (`versionOf` / `editOf`, `versionTarget`, `headPath`): edits and regenerates become
 *   versions in the head segment.
 * - **Live replies** (`LiveReply`): a streaming text appended through core's `beginResponse`,
 *   finished with usage or aborted with the text so far (`ReplyEnd`).
 * - **Bill once** (`CompletionTally`): what earlier texts of a response were counted with comes off
 *   the provider usage recorded on its last text.
 * - **WriteQueue**: one write at a time, in order. **plainJson** / `jsonOrNull` / `metadataJson`:
 *   what is not JSON is left out instead of failing the write.
 *
 * ```ts
 * const keys = { messageId: 'uiMessageId', unit: 'uiUnit', metadata: 'uiMetadata' };
 * const ledger = new IdLedger(keys);
 * const queue = new WriteQueue();
 * for (const unit of uiMessageUnits(message, true)) {
 *   if (ledger.has(message.id, unit.key) || !unit.complete) continue;
 *   ledger.set(message.id, unit.key, null);
 *   const link = linkMetadata(keys, message, unit.key);
 *   void queue.run(async () => {
 *     const id = unit.kind === 'tool' ? await writeToolCall(manager, unit, link) : await writeUserText(manager, unit.text, link);
 *     ledger.set(message.id, unit.key, id);
 *   });
 * }
 * ```
 */
export { CompletionTally } from './completionTally.ts';
export { IdLedger } from './idLedger.ts';
export type { StoredId } from './idLedger.ts';
export { isCut, LiveReply } from './liveReply.ts';
export type { ReplyEnd } from './liveReply.ts';
export { linkedMetadata, linkMetadata, linkOf } from './messageLink.ts';
export type { LinkedMessage, LinkKeys } from './messageLink.ts';
export { jsonOrNull, metadataJson, plainJson } from './plainJson.ts';
export { UI_LINK, UI_MESSAGE_ID, UI_METADATA, UI_UNIT } from './uiLink.ts';
export { uiMessageUnits } from './uiMessageUnits.ts';
export type { UIMessageLike, UIMessageUnit, UIToolUnit } from './uiMessageUnits.ts';
export { lastTextKey, textKey, toolKey, USER_TEXT } from './units.ts';
export type { RecordUnit, TextUnit, ToolUnit } from './units.ts';
export { beginReply, keepLateMetadata, writeEdit, writeToolCall, writeUserText } from './unitWrites.ts';
export type { ReplyPlacement, ToolWrite } from './unitWrites.ts';
export { headPath, recordsMessage, versionTarget } from './versionPlacement.ts';
export type { HeadPath } from './versionPlacement.ts';
export { WriteQueue } from './writeQueue.ts';
