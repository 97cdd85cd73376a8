import { z } from 'zod';
import { EventSource, EventType } from '../domain/types.ts';
import { CONVERSATION_FORMAT } from './conversationDocument.ts';

const id = z.string().min(1);
const count = z.int().nonnegative();
const isoUtc = z.iso.datetime();
// Values are checked to be JSON after the schema, so the error can name the exact nested path.
// Not z.record: it rebuilds the object by assignment, which drops an own "__proto__" key.
const record = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'Expected an object',
);

const tokenUsageSchema = z.strictObject({
  promptTokens: count,
  completionTokens: count,
  totalTokens: count,
  model: z.string(),
  estimatedCostUsd: z.number().nonnegative().nullable(),
  source: z.enum(['counted', 'estimated', 'provider']),
  contextTokens: count.optional(),
  cachedPromptTokens: count.optional(),
  cacheWriteTokens: count.optional(),
  reasoningTokens: count.optional(),
  // Stored before its text was counted (the tokenizer was loading); filled in on the next open.
  pending: z.literal(true).optional(),
  mediaTokens: count.optional(),
  mediaEstimated: z.literal(true).optional(),
});

const totalsSchema = z.strictObject({
  events: count,
  messages: count,
  userMessages: count,
  aiMessages: count,
  toolCalls: count,
  summaries: count,
  promptTokens: count,
  completionTokens: count,
  totalTokens: count,
  estimatedCostUsd: z.number().nonnegative(),
  contextTokens: count.optional(),
  cachedPromptTokens: count.optional(),
  cacheWriteTokens: count.optional(),
  reasoningTokens: count.optional(),
  unpricedTokens: count.optional(),
});

const sessionSchema = z.strictObject({
  id,
  parentId: id.nullable(),
  rootId: id,
  segmentIndex: count,
  systemPrompt: z.string().optional(),
  metadata: record,
  state: record,
  createdAt: isoUtc,
  updatedAt: isoUtc,
  totals: totalsSchema,
  // Kept by the store on the head (schema v2); recomputed on import, whatever the file says.
  priorTotals: totalsSchema.optional(),
  headAt: isoUtc.optional(),
});

const replySchema = z.strictObject({
  status: z.enum(['streaming', 'complete', 'aborted', 'discarded']),
  leaseUntil: count.optional(),
  owner: id.optional(),
  abortReason: z.string().optional(),
  finishedAt: isoUtc.optional(),
});

const branchSchema = z.strictObject({ versionOf: id.optional(), parent: id.nullable().optional() });

const eventSchema = z.strictObject({
  id,
  sessionId: id,
  seq: count,
  timestamp: isoUtc,
  source: z.enum(Object.values(EventSource) as [EventSource, ...EventSource[]]),
  type: z.enum(Object.values(EventType) as [EventType, ...EventType[]]),
  // z.unknown() alone would let the key be missing.
  message: z.unknown().refine((value) => value !== undefined, 'Required: every event has a message'),
  metadata: record,
  tokenUsage: tokenUsageSchema.optional(),
  parentEventId: id.optional(),
  taskId: id.optional(),
  reply: replySchema.optional(),
  branch: branchSchema.optional(),
  parts: z.array(record.refine((p) => typeof p.type === 'string', 'Every part has a string type')).optional(),
});

/**
 * The document's shape (types, required fields, no unknown keys). importConversation adds the
 * checks a schema cannot express: ids, chain, seq, totals.
 */
export const conversationDocumentSchema = z.strictObject({
  format: z.literal(CONVERSATION_FORMAT),
  // Checked before the schema (validateConversationDocument): 1, 2 or 3.
  version: z.number(),
  conversationId: id,
  exportedAt: isoUtc.optional(),
  sessions: z.array(sessionSchema).min(1),
  events: z.array(eventSchema),
  attachments: z
    .array(
      z.strictObject({
        hash: z.string().regex(/^[0-9a-f]{64}$/, 'Expected a hex SHA-256'),
        mediaType: z.string().min(1),
        size: count,
        included: z.boolean(),
      }),
    )
    .optional(),
});
