// The events userSays, aiResponds and toolUsed record: their arguments checked, their tokens
// counted and priced.
import { toBranchLink } from '../domain/activePath.ts';
import { toJsonRecord, toJsonValue } from '../domain/jsonValue.ts';
import { toMessageParts } from '../domain/messageParts.ts';
import { normalizeUsage } from '../domain/providerUsage.ts';
import { type EventDraft, EventSource, EventType, type ToolCallMessage } from '../domain/types.ts';
import { assertNonEmptyString, assertString, objectArg } from '../domain/validate.ts';
import { usageNow } from '../pricing/messageUsage.ts';
import type { ManagerHost } from './managerHost.ts';
import type { AiRespondsOptions, ToolUsedOptions, UserSaysOptions } from './managerOptions.ts';

export async function userMessageDraft(
  host: ManagerHost,
  text: string,
  metadata: Record<string, unknown> | undefined,
  options?: UserSaysOptions,
): Promise<EventDraft> {
  assertString(text, 'message');
  text = host.scrub(text);
  const meta = toJsonRecord(metadata, 'metadata');
  const { branch, parts: given } = objectArg<UserSaysOptions>(options, 'options');
  const link = branch === undefined ? undefined : toBranchLink(branch, 'options.branch');
  const parts = given === undefined ? undefined : toMessageParts(given, 'options.parts', host.scrub);
  const model = typeof meta.model === 'string' ? meta.model : host.defaultModel;
  const usage = await usageNow('user', model, text, undefined, parts);
  const draft = host.draft(EventSource.USER, EventType.MESSAGE, text, meta, usage);
  if (link) draft.branch = link;
  if (parts) draft.parts = parts;
  return draft;
}

export async function replyDraft(
  host: ManagerHost,
  text: string,
  options: AiRespondsOptions | undefined,
): Promise<EventDraft> {
  assertString(text, 'message');
  text = host.scrub(text);
  const {
    usage: reported,
    eventId,
    abortReason,
    branch,
    parts: given,
    ...rest
  } = objectArg<AiRespondsOptions>(options, 'options');
  const parts = given === undefined ? undefined : toMessageParts(given, 'options.parts', host.scrub);
  if (abortReason !== undefined) assertString(abortReason, 'options.abortReason');
  const link = branch === undefined ? undefined : toBranchLink(branch, 'options.branch');
  const meta = toJsonRecord(rest, 'metadata');
  const model = rest.model ?? host.defaultModel;
  assertNonEmptyString(model, 'model');
  if (rest.provider !== undefined) assertString(rest.provider, 'provider');
  meta.model = model;
  // Provider usage is what was billed; the context window holds the text, counted either way.
  const billed = reported === undefined ? undefined : normalizeUsage(reported);
  const usage = await usageNow('llm', model, text, billed, parts);
  const draft = host.draft(EventSource.LLM, EventType.MESSAGE, text, meta, usage, eventId);
  if (parts) draft.parts = parts;
  if (abortReason !== undefined)
    draft.reply = { status: 'aborted', abortReason: host.scrub(abortReason), finishedAt: draft.timestamp };
  if (link) draft.branch = link;
  return draft;
}

export function toolCallDraft(
  host: ManagerHost,
  toolName: string,
  args: unknown,
  result: unknown,
  options: ToolUsedOptions | undefined,
): EventDraft {
  assertNonEmptyString(toolName, 'toolName');
  const {
    error = null,
    parentEventId,
    toolCallId,
    eventId,
    parts,
    ...rest
  } = objectArg<ToolUsedOptions>(options, 'options');
  if (error !== null) assertString(error, 'error');
  // Stored as links; anything but an id would break export/import and the converters.
  if (parentEventId !== undefined) assertNonEmptyString(parentEventId, 'parentEventId');
  if (toolCallId !== undefined) assertNonEmptyString(toolCallId, 'toolCallId');
  const message: ToolCallMessage = {
    tool: toolName,
    arguments: toJsonValue(args, 'arguments'),
    result: toJsonValue(result, 'result'),
    error: error === null ? null : host.scrub(error),
    ...(toolCallId === undefined ? {} : { toolCallId }),
  };
  const meta = toJsonRecord(rest, 'metadata');
  const draft = host.draft(EventSource.SYSTEM, EventType.TOOL_CALL, message, meta, undefined, eventId);
  if (parentEventId !== undefined) draft.parentEventId = parentEventId;
  if (parts !== undefined) draft.parts = toMessageParts(parts, 'options.parts', host.scrub);
  return draft;
}
