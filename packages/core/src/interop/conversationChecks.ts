// What a schema cannot say about a conversation document: unique ids, one linear chain of
// segments, gapless seq per segment, and totals that are exactly what the events add up to.
import { InvalidInputError } from '../domain/errors.ts';
import { addEventToTotals, emptyTotals } from '../domain/totals.ts';
import { EventType, type SessionEvent, type SessionTotals } from '../domain/types.ts';
import { toJsonValue } from '../domain/jsonValue.ts';
import { checkBranchLinks } from './branchChecks.ts';
import type { ConversationDocument } from './conversationDocument.ts';

/** Throws InvalidInputError naming the first failing path. */
export function checkConversation(doc: ConversationDocument): void {
  checkValues(doc);
  checkUniqueIds(doc);
  checkChain(doc);
  const bySegment = checkEvents(doc);
  checkSummaries(doc, bySegment);
  checkBranchLinks(doc, bySegment);
  checkTotals(doc, bySegment);
}

function fail(path: string, reason: string): never {
  throw new InvalidInputError(`Invalid conversation document at ${path}: ${reason}.`, path);
}

function checkValues(doc: ConversationDocument): void {
  doc.sessions.forEach((s, i) => {
    toJsonValue(s.metadata, `sessions[${i}].metadata`);
    toJsonValue(s.state, `sessions[${i}].state`);
  });
  doc.events.forEach((e, i) => {
    toJsonValue(e.message, `events[${i}].message`);
    toJsonValue(e.metadata, `events[${i}].metadata`);
    const path = `events[${i}].message`;
    if ((e.type === EventType.MESSAGE || e.type === EventType.SUMMARY) && typeof e.message !== 'string') {
      fail(path, `a ${e.type} event's message must be a string`);
    }
    if (e.type === EventType.TOOL_CALL) checkToolCallMessage(e.message, path);
  });
}

function checkToolCallMessage(message: unknown, path: string): void {
  if (!message || typeof message !== 'object' || Array.isArray(message))
    fail(path, 'a tool call must be an object');
  const m = message as Record<string, unknown>;
  if (typeof m.tool !== 'string' || m.tool === '') fail(`${path}.tool`, 'must be a non-empty string');
  if (!('arguments' in m)) fail(`${path}.arguments`, 'is required');
  if (!('result' in m)) fail(`${path}.result`, 'is required');
  if (m.error !== null && typeof m.error !== 'string') fail(`${path}.error`, 'must be a string or null');
  if (m.toolCallId !== undefined && typeof m.toolCallId !== 'string')
    fail(`${path}.toolCallId`, 'must be a string');
}

function checkUniqueIds(doc: ConversationDocument): void {
  const sessions = new Set<string>();
  doc.sessions.forEach((s, i) => {
    if (sessions.has(s.id)) fail(`sessions[${i}].id`, `segment id "${s.id}" appears twice`);
    sessions.add(s.id);
  });
  const events = new Set<string>();
  doc.events.forEach((e, i) => {
    if (events.has(e.id)) fail(`events[${i}].id`, `event id "${e.id}" appears twice`);
    events.add(e.id);
  });
}

/** Root first, then one segment per index, each the child of the one before, all in one conversation. */
function checkChain(doc: ConversationDocument): void {
  doc.sessions.forEach((s, i) => {
    if (s.rootId !== doc.conversationId)
      fail(`sessions[${i}].rootId`, `must be the conversationId "${doc.conversationId}"`);
  });
  const order = doc.sessions.map((s, i) => ({ s, i })).sort((a, b) => a.s.segmentIndex - b.s.segmentIndex);
  order.forEach(({ s, i }, k) => {
    if (s.segmentIndex !== k) {
      fail(
        `sessions[${i}].segmentIndex`,
        k === 0 ? 'the chain has no segment 0' : `expected ${k} (one segment per index, no gaps)`,
      );
    }
    if (k === 0) {
      if (s.id !== doc.conversationId)
        fail(`sessions[${i}].id`, 'segment 0 must have the conversationId as its id');
      if (s.parentId !== null) fail(`sessions[${i}].parentId`, 'the root segment has no parent');
    } else if (s.parentId !== order[k - 1]!.s.id) {
      fail(
        `sessions[${i}].parentId`,
        `segment ${k} must continue segment ${k - 1} ("${order[k - 1]!.s.id}")`,
      );
    }
  });
}

/** Every event in a known segment, seq 0, 1, 2… per segment. Returns the events per segment in seq order. */
function checkEvents(doc: ConversationDocument): Map<string, SessionEvent[]> {
  const bySegment = new Map<string, { e: SessionEvent; i: number }[]>(doc.sessions.map((s) => [s.id, []]));
  doc.events.forEach((e, i) => {
    const list = bySegment.get(e.sessionId);
    if (!list) fail(`events[${i}].sessionId`, `no segment "${e.sessionId}" in this document`);
    list.push({ e, i });
  });
  const ordered = new Map<string, SessionEvent[]>();
  for (const [sessionId, list] of bySegment) {
    list.sort((a, b) => a.e.seq - b.e.seq);
    list.forEach(({ e, i }, k) => {
      if (e.seq < k) fail(`events[${i}].seq`, `seq ${e.seq} appears twice in segment "${sessionId}"`);
      if (e.seq > k)
        fail(`events[${i}].seq`, `segment "${sessionId}" has no event with seq ${k} (seq must have no gaps)`);
    });
    ordered.set(
      sessionId,
      list.map(({ e }) => e),
    );
  }
  return ordered;
}

/**
 * Every closed segment holds the summary that the next segment's prompt carries, and the head
 * (where recording continues) holds none: otherwise the model loses what came before the rollover.
 */
function checkSummaries(doc: ConversationDocument, bySegment: Map<string, SessionEvent[]>): void {
  const last = doc.sessions.length - 1;
  let headId = '';
  doc.sessions.forEach((s, i) => {
    if (s.segmentIndex === last) {
      headId = s.id;
      return;
    }
    if (!bySegment.get(s.id)!.some((e) => e.type === EventType.SUMMARY)) {
      fail(
        `sessions[${i}]`,
        `segment ${s.segmentIndex} is closed (segment ${s.segmentIndex + 1} continues it) but has no summary event`,
      );
    }
  });
  doc.events.forEach((e, i) => {
    if (e.sessionId === headId && e.type === EventType.SUMMARY) {
      fail(
        `events[${i}].type`,
        'a summary cannot be in the head segment (the newest, where recording continues)',
      );
    }
  });
}

/** Rejected rather than recomputed: totals that disagree with the events mean the file was edited. */
function checkTotals(doc: ConversationDocument, bySegment: Map<string, SessionEvent[]>): void {
  doc.sessions.forEach((s, i) => {
    const expected = (bySegment.get(s.id) ?? []).reduce(addEventToTotals, emptyTotals());
    for (const key of Object.keys(expected) as (keyof SessionTotals)[]) {
      // Files from before contextTokens existed lack it: it is what the events add up to (each
      // event's own contextTokens, or its totalTokens when it predates them too).
      if (key === 'contextTokens' && s.totals[key] === undefined) {
        s.totals.contextTokens = expected.contextTokens;
        continue;
      }
      // Files from before the token kinds existed lack them: no event then carried any.
      if (!sameTotal(s.totals[key] ?? 0, expected[key] ?? 0)) {
        fail(
          `sessions[${i}].totals.${key}`,
          `is ${s.totals[key]} but the segment's events add up to ${expected[key]}`,
        );
      }
    }
  });
}

function sameTotal(a: number, b: number): boolean {
  // Costs are float sums; everything else is an exact count.
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
