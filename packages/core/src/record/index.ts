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
export { CompletionTally } from './completionTally';
export { IdLedger } from './idLedger';
export type { StoredId } from './idLedger';
export { isCut, LiveReply } from './liveReply';
export type { ReplyEnd } from './liveReply';
export { linkedMetadata, linkMetadata, linkOf } from './messageLink';
export type { LinkedMessage, LinkKeys } from './messageLink';
export { jsonOrNull, metadataJson, plainJson } from './plainJson';
export { uiMessageUnits } from './uiMessageUnits';
export type { UIMessageLike, UIMessageUnit, UIToolUnit } from './uiMessageUnits';
export { lastTextKey, textKey, toolKey, USER_TEXT } from './units';
export type { RecordUnit, TextUnit, ToolUnit } from './units';
export { beginReply, keepLateMetadata, writeToolCall, writeUserText } from './unitWrites';
export type { ReplyPlacement, ToolWrite } from './unitWrites';
export { headPath, recordsMessage, versionTarget } from './versionPlacement';
export type { HeadPath } from './versionPlacement';
export { WriteQueue } from './writeQueue';
