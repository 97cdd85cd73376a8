// Property tests (fast-check, fixed seeds: a failure prints its seed and path, and the same
// seed replays it). Seeds and run counts are recorded here and in RELIABILITY.md.
//  (a) random operation sequences give the same results on DexieSessionStore, on
//      MemorySessionStore, and in a plain array model of the conversation;
//  (b) random JSON, and mutations of a valid export, are imported whole or refused with
//      nothing written;
//  (c) random strings (full Unicode, lone surrogates, special-token text, megabytes) are
//      stored and counted without error and read back unchanged.
import {
  type ConversationDocument,
  countTokens,
  DexieSessionStore,
  DuplicateIdError,
  EventType,
  exportConversation,
  importConversation,
  InvalidInputError,
  MemorySessionStore,
  SessionManager,
  SessionNotFoundError,
  type SessionStats,
  type SessionStore,
} from '@ai-session-manager/core';
import fc from 'fast-check';
import { validateConversationDocument } from '../../packages/core/src/interop/validateConversationDocument.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniqueDbName } from '../helpers';
import { expectNoStrayRows, expectWellFormedChain, figures, reportFigures } from './support';

/** Seeds and run counts: change them only together with RELIABILITY.md. */
const PROPERTY_RUNS = {
  operations: { seed: 20_240_601, numRuns: 200 },
  importJson: { seed: 20_240_602, numRuns: 500 },
  importMutations: { seed: 20_240_603, numRuns: 1000 },
  strings: { seed: 20_240_604, numRuns: 200 },
} as const;

const tried: Record<string, number> = {};
const bigStrings: { what: string; chars: number; utf8Bytes: number; tokens: number; ms: number }[] = [];
const readers: DexieSessionStore[] = [];
reportFigures('properties', () => ({ runs: tried, bigStrings }));

/** fc.assert with a fixed seed; on failure the seed and the replay path are printed first. */
async function check<Ts extends [unknown, ...unknown[]]>(
  name: keyof typeof PROPERTY_RUNS,
  property: fc.IAsyncProperty<Ts>,
): Promise<void> {
  const { seed, numRuns } = PROPERTY_RUNS[name];
  await fc.assert(property, {
    seed,
    numRuns,
    asyncReporter: async (details) => {
      tried[name] = (tried[name] ?? 0) + details.numRuns;
      figures.inputsTried += details.numRuns;
      if (!details.failed) return;
      console.error(
        `[reliability] property "${name}" failed: seed ${details.seed}, path "${details.counterexamplePath}" ` +
          '(replay with fc.assert(…, { seed, path, endOnFailure: true }))',
      );
      throw new Error(await fc.asyncDefaultReportMessage(details), { cause: details.errorInstance });
    },
  });
}

const MODEL = 'gpt-4o-mini';

// --- (a) operation sequences against a model -------------------------------------------------

type Op =
  | { kind: 'user'; text: string }
  | { kind: 'ai'; text: string; usage: { prompt_tokens: number; completion_tokens: number } | null }
  | { kind: 'tool'; name: string; args: unknown; result: unknown }
  | { kind: 'prompt'; text: string }
  | { kind: 'reopen'; segment: number };

interface Config {
  infiniteContext: boolean;
  tokenThreshold: number;
  maxTurnsPerSegment: number;
  systemPrompt: string | undefined;
}

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }).map((n) => 'word '.repeat(n)) },
);

/** Tool arguments and results as JSON.parse makes them from a model's output: any JSON, own "__proto__" keys included. */
const toolJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 }))
      .map(([a, b]) =>
        JSON.parse(`{"__proto__":${JSON.stringify(a)},"k":{"__proto__":${JSON.stringify(b)}}}`),
      ),
  },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('user' as const), text }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('ai' as const),
      text,
      usage: fc.option(fc.record({ prompt_tokens: fc.nat(500), completion_tokens: fc.nat(500) }), {
        freq: 3,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tool' as const),
      name: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''),
      args: toolJson,
      result: toolJson,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('prompt' as const), text: fc.string({ maxLength: 20 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), segment: fc.nat(20) }) },
);

const configArb: fc.Arbitrary<Config> = fc.record({
  infiniteContext: fc.boolean(),
  tokenThreshold: fc.integer({ min: 1, max: 300 }),
  maxTurnsPerSegment: fc.integer({ min: 1, max: 8 }),
  systemPrompt: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
});

/** The plain model: an array of messages, and per segment the counts the rollover rule reads. */
class Model {
  turns: { role: 'user' | 'assistant'; content: string }[] = [];
  segments = [{ messages: 0, tokens: 0, turns: [] as { role: string; content: string }[], toolCalls: 0 }];
  messageTokens = 0;
  toolCalls = 0;
  /** What each tool call stored: name, arguments, result. */
  tools: { tool: string; arguments: unknown; result: unknown }[] = [];
  written = false;
  constructor(
    readonly config: Config,
    public systemPrompt = config.systemPrompt,
  ) {}

  /** `tokens` as billed; `context`: the text's counted tokens, which the rollover threshold measures. */
  message(role: 'user' | 'assistant', content: string, tokens: number, context: number): void {
    this.written = true;
    let head = this.segments.at(-1)!;
    const { infiniteContext, tokenThreshold, maxTurnsPerSegment } = this.config;
    if (infiniteContext && (head.tokens >= tokenThreshold || head.messages >= maxTurnsPerSegment)) {
      head = { messages: 0, tokens: 0, turns: [], toolCalls: 0 };
      this.segments.push(head);
    }
    head.messages += 1;
    head.tokens += context;
    head.turns.push({ role, content });
    this.turns.push({ role, content });
    this.messageTokens += tokens;
  }

  tool(op: Extract<Op, { kind: 'tool' }>): void {
    this.written = true;
    this.tools.push({ tool: op.name, arguments: op.args, result: op.result });
    this.toolCalls += 1;
    this.segments.at(-1)!.toolCalls += 1;
  }
}

/** One store and the manager recording on it; `reopen` is a reload (a new Dexie connection). */
class Subject {
  sm: SessionManager;
  constructor(
    public store: SessionStore,
    readonly config: Config,
  ) {
    const { systemPrompt, ...options } = config;
    this.sm = new SessionManager({
      store,
      ...options,
      ...(systemPrompt === undefined ? {} : { systemPrompt }),
    });
  }

  async apply(op: Op, model: Model): Promise<void> {
    const { sm } = this;
    switch (op.kind) {
      case 'user':
        await sm.userSays(op.text);
        return;
      case 'ai':
        await sm.aiResponds(op.text, op.usage ? { usage: op.usage } : {});
        return;
      case 'tool':
        await sm.toolUsed(op.name, op.args, op.result);
        return;
      case 'prompt':
        await sm.updateSystemPrompt(op.text);
        return;
      case 'reopen': {
        const { systemPrompt, ...options } = this.config;
        if (this.store instanceof DexieSessionStore) {
          this.store.close();
          this.store = new DexieSessionStore({ name: this.store.name });
        }
        if (!model.written) {
          await expect(
            SessionManager.open(sm.sessionId, { store: this.store, ...options }),
          ).rejects.toBeInstanceOf(SessionNotFoundError);
          // Nothing stored yet: a reload constructs the manager again, with the app's options.
          this.sm = new SessionManager({
            store: this.store,
            ...options,
            ...(systemPrompt === undefined ? {} : { systemPrompt }),
            sessionId: sm.sessionId,
          });
          return;
        }
        const chain = await this.store.getSegments(sm.conversationId);
        const id = chain[op.segment % chain.length]!.id;
        this.sm = await SessionManager.open(id, { store: this.store, ...options });
        expect(this.sm.sessionId).toBe(chain.at(-1)!.id);
        return;
      }
    }
  }
}

/** Tokens the manager stores for a message, as the model computes them. */
async function tokensOf(op: Extract<Op, { kind: 'user' | 'ai' }>): Promise<number> {
  if (op.kind === 'ai' && op.usage) return op.usage.prompt_tokens + op.usage.completion_tokens;
  return countTokens(op.text, MODEL);
}

const withoutIdsAndTimes = ({
  sessionId,
  conversationId,
  sessionChain,
  createdAt,
  lastUpdate,
  ...rest
}: SessionStats) => rest;

async function expectMatchesModel(subject: Subject, model: Model): Promise<SessionStats> {
  const { sm, store } = subject;
  const segmentsExpected = model.written ? model.segments.length : 1;
  expect(
    (await sm.getConversation({ includeAllSegments: true })).map(({ role, content }) => ({ role, content })),
  ).toEqual(model.turns);
  expect(await sm.getSessionChain()).toHaveLength(segmentsExpected);
  const stats = await sm.getStats({ includeAllSegments: true });
  const events = await sm.getEvents({ includeAllSegments: true });
  const summaryTokens = events
    .filter((e) => e.type === EventType.SUMMARY)
    .reduce((n, e) => n + (e.tokenUsage?.totalTokens ?? 0), 0);
  expect(stats).toMatchObject({
    sessionSegments: segmentsExpected,
    totalMessages: model.turns.length,
    userMessages: model.turns.filter((t) => t.role === 'user').length,
    aiMessages: model.turns.filter((t) => t.role === 'assistant').length,
    toolCalls: model.toolCalls,
    summaries: segmentsExpected - 1,
    totalEvents: model.turns.length + model.toolCalls + segmentsExpected - 1,
    totalTokens: model.messageTokens + summaryTokens,
  });
  // Tool arguments and results are stored as given (JSON), keys such as "__proto__" included.
  const tools = events
    .filter((e) => e.type === EventType.TOOL_CALL)
    .map((e) => e.message as Record<string, unknown>);
  expect(tools.map(({ tool, arguments: args, result }) => ({ tool, arguments: args, result }))).toEqual(
    model.tools,
  );
  const forModel = await sm.getMessagesForLLM();
  const expected: { role: string; content: string }[] = [];
  if (model.systemPrompt) expected.push({ role: 'system', content: model.systemPrompt });
  if (model.written && model.segments.length > 1) {
    expect(forModel[expected.length]!.content).toMatch(/^Summary of the conversation so far:\n/);
    expected.push({ role: 'system', content: forModel[expected.length]!.content });
  }
  expected.push(...model.segments.at(-1)!.turns);
  expect(forModel).toEqual(expected);
  if (model.written) {
    const chain = await expectWellFormedChain(store, sm.conversationId);
    // Each rollover happened exactly where the model's rule puts it.
    expect(chain.events.map((list) => list.filter((e) => e.type === EventType.MESSAGE).length)).toEqual(
      model.segments.map((s) => s.messages),
    );
    expect(chain.events.map((list) => list.filter((e) => e.type === EventType.TOOL_CALL).length)).toEqual(
      model.segments.map((s) => s.toolCalls),
    );
    figures.eventsWritten += events.length;
  }
  if (store instanceof DexieSessionStore) await expectNoStrayRows(store);
  return stats;
}

describe('property (a): random operations, Dexie = memory = model', () => {
  it(`seed ${PROPERTY_RUNS.operations.seed}`, async () => {
    await check(
      'operations',
      fc.asyncProperty(configArb, fc.array(opArb, { minLength: 1, maxLength: 25 }), async (config, ops) => {
        const model = new Model(config);
        const dexie = new Subject(new DexieSessionStore({ name: uniqueDbName('prop-ops') }), config);
        const memory = new Subject(new MemorySessionStore(), config);
        try {
          for (const op of ops) {
            await dexie.apply(op, model);
            await memory.apply(op, model);
            if (op.kind === 'user')
              model.message('user', op.text, await tokensOf(op), await countTokens(op.text, MODEL));
            else if (op.kind === 'ai')
              model.message('assistant', op.text, await tokensOf(op), await countTokens(op.text, MODEL));
            else if (op.kind === 'tool') model.tool(op);
            else if (op.kind === 'prompt') {
              model.written = true;
              model.systemPrompt = op.text;
            }
          }
          const fromDexie = await expectMatchesModel(dexie, model);
          const fromMemory = await expectMatchesModel(memory, model);
          expect(withoutIdsAndTimes(fromDexie)).toEqual(withoutIdsAndTimes(fromMemory));
        } finally {
          if (dexie.store instanceof DexieSessionStore) await dexie.store.destroy();
        }
      }),
    );
  });
});

// --- (b) import: whole or nothing ------------------------------------------------------------

let valid: ConversationDocument;

beforeAll(async () => {
  const store = new MemorySessionStore();
  const sm = new SessionManager({
    store,
    systemPrompt: 'You are terse.',
    metadata: { title: 'fuzz', tags: ['a', 'b'] },
    infiniteContext: true,
    maxTurnsPerSegment: 3,
  });
  const run = await sm.startRun({ goal: 'fuzz' });
  await sm.userSays('What is 2+2?', { locale: 'en' });
  await sm.aiResponds('4', { model: 'gpt-4o', usage: { prompt_tokens: 12, completion_tokens: 1 } });
  await sm.toolUsed('calc', { expr: '2+2' }, { value: 4 }, { toolCallId: 'call_1' });
  await sm.userSays('And 3+3?');
  await run.complete();
  await sm.aiResponds('6', { model: 'unknown-local-model' });
  await sm.userSays('Thanks');
  await sm.aiResponds('Bye');
  valid = JSON.parse(JSON.stringify(await exportConversation(sm.conversationId, { store })));
  expect(valid.sessions.length).toBeGreaterThan(1);
});

type Json = unknown;
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [
    [...prefix, k],
    ...pathsOf((value as Record<string | number, Json>)[k], [...prefix, k]),
  ]);
}

interface Mutation {
  kind:
    | 'delete'
    | 'replace'
    | 'duplicate'
    | 'number'
    | 'retype'
    | 'protoKey'
    | 'protoRecord'
    | 'version'
    | 'seq'
    | 'copyEvent';
  pick: number;
  value: Json;
  n: number;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(
    'delete',
    'replace',
    'duplicate',
    'number',
    'retype',
    'protoKey',
    'protoRecord',
    'version',
    'seq',
    'copyEvent',
  ),
  pick: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }),
  n: fc.oneof(fc.integer({ min: -3, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
});

function setOwn(target: Record<string | number, Json>, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Apply one mutation to `doc` in place. */
function mutate(doc: Record<string, Json>, m: Mutation): void {
  const events = doc.events as Record<string, Json>[];
  if (m.kind === 'version') {
    doc.version = m.n;
    return;
  }
  if (m.kind === 'seq' && Array.isArray(events) && events.length) {
    const e = events[m.pick % events.length]!;
    if (e && typeof e === 'object') e.seq = m.n;
    return;
  }
  if (m.kind === 'protoRecord') {
    // An own "__proto__" key (as JSON.parse makes) inside a metadata or state record.
    const rows = (list: Json) => (Array.isArray(list) ? list : []).filter((r) => r && typeof r === 'object');
    const records = [
      ...rows(doc.sessions).flatMap((s) => [s.metadata, s.state]),
      ...rows(events).map((e) => e.metadata),
    ].filter((r) => r && typeof r === 'object' && !Array.isArray(r)) as Record<string, Json>[];
    if (records.length) setOwn(records[m.pick % records.length]!, '__proto__', m.value);
    return;
  }
  if (m.kind === 'copyEvent' && Array.isArray(events) && events.length) {
    const at = m.pick % events.length;
    events.splice(at, 0, structuredClone(events[at]!));
    return;
  }
  const paths = pathsOf(doc);
  if (!paths.length) return;
  const path = paths[m.pick % paths.length]!;
  const parent = path
    .slice(0, -1)
    .reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], doc) as Record<string | number, Json>;
  const key = path.at(-1)!;
  const current = parent[key];
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(current));
      else parent[key] = [current, current];
      return;
    case 'number':
      parent[key] = typeof current === 'number' ? current + m.n : m.n;
      return;
    case 'retype':
      parent[key] =
        typeof current === 'string'
          ? Number(current.length)
          : typeof current === 'number'
            ? String(current)
            : current === null
              ? false
              : [current];
      return;
    case 'protoKey':
      if (current && typeof current === 'object' && !Array.isArray(current))
        setOwn(current as Record<string, Json>, '__proto__', m.value);
      else parent[key] = m.value;
      return;
    default:
      parent[key] = m.value;
  }
}

/** Events in the order export writes them: by segment, then seq. */
function normalized(doc: ConversationDocument) {
  const order = new Map(doc.sessions.map((s) => [s.id, s.segmentIndex]));
  const events = [...doc.events].sort(
    (a, b) => order.get(a.sessionId)! - order.get(b.sessionId)! || a.seq - b.seq,
  );
  // Store-kept fields: a segment's contextTokens, missing in files from before it, is what its
  // events occupy (each event's own, else its totalTokens); the head's priorTotals and list
  // marker are recomputed on import whatever the file says.
  const occupied = (id: string) =>
    events
      .filter((e) => e.sessionId === id)
      .reduce((n, e) => n + (e.tokenUsage ? (e.tokenUsage.contextTokens ?? e.tokenUsage.totalTokens) : 0), 0);
  const sessions = [...doc.sessions]
    .sort((a, b) => a.segmentIndex - b.segmentIndex)
    .map(({ priorTotals: _p, headAt: _h, ...s }) => ({
      ...s,
      totals: { ...s.totals, contextTokens: s.totals.contextTokens ?? occupied(s.id) },
    }));
  return { ...doc, exportedAt: undefined, sessions, events };
}

const accepted: Record<string, number> = {};

/** Import `input` into both stores: both accept it whole (export gives it back) or both refuse it and write nothing. */
async function importWholeOrNothing(name: string, input: unknown, dexie: DexieSessionStore): Promise<void> {
  const results = [];
  for (const store of [new MemorySessionStore(), dexie] as SessionStore[]) {
    const outcome = await importConversation(input, { store }).catch((e: unknown) => e);
    if (outcome instanceof Error) {
      expect([InvalidInputError, DuplicateIdError].some((type) => outcome instanceof type)).toBe(true);
      expect(await store.listConversations()).toEqual([]);
      results.push(`refused: ${outcome.name}`);
      continue;
    }
    const { conversationId } = outcome as { conversationId: string };
    const doc = (typeof input === 'string' ? JSON.parse(input) : input) as ConversationDocument;
    const exported = await exportConversation(conversationId, { store });
    // An older file is read as today's version (version 1's library keys moved out of metadata).
    const expected = (doc.version as number) === 3 ? doc : validateConversationDocument(doc);
    expect(normalized(exported)).toEqual(normalized(expected));
    await expectWellFormedChain(store, conversationId);
    figures.eventsWritten += exported.events.length;
    await store.deleteConversation(conversationId);
    results.push('accepted');
  }
  expect(await dexie.db.events.count()).toBe(0);
  expect(await dexie.db.sessions.count()).toBe(0);
  expect(results[0]).toBe(results[1]);
  if (results[0] === 'accepted') accepted[name] = (accepted[name] ?? 0) + 1;
}

describe('property (b): import is whole or nothing', () => {
  it(`random JSON, seed ${PROPERTY_RUNS.importJson.seed}`, async () => {
    const dexie = new DexieSessionStore({ name: uniqueDbName('prop-json') });
    const input = fc.oneof(
      fc.jsonValue(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc
        .record({ format: fc.constant('ai-session-manager'), version: fc.constant(1) }, { requiredKeys: [] })
        .chain((head) =>
          fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })).map((rest) => ({ ...rest, ...head })),
        ),
    );
    await check(
      'importJson',
      fc.asyncProperty(input, (value) => importWholeOrNothing('importJson', value, dexie)),
    );
    await dexie.destroy();
  });

  it(`mutations of a valid export, seed ${PROPERTY_RUNS.importMutations.seed}`, async () => {
    const dexie = new DexieSessionStore({ name: uniqueDbName('prop-mutations') });
    await check(
      'importMutations',
      fc.asyncProperty(
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (mutations, asText) => {
          const doc = structuredClone(valid) as unknown as Record<string, Json>;
          for (const m of mutations) mutate(doc, m);
          await importWholeOrNothing('importMutations', asText ? JSON.stringify(doc) : doc, dexie);
        },
      ),
    );
    await dexie.destroy();
    // The generator is not so hostile that nothing ever gets in.
    expect(accepted.importMutations ?? 0).toBeGreaterThan(0);
    tried.importMutationsAccepted = accepted.importMutations ?? 0;
  });
});

// --- (c) strings: stored, counted, read back unchanged ---------------------------------------

const SPECIAL = [
  '<|endoftext|>',
  '<|im_start|>',
  '<|im_end|>',
  '<|im_sep|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|endofprompt|>',
  '<|start|>',
  '<|end|>',
  '<|message|>',
  '<|channel|>',
  '<|return|>',
  '<|begin_of_text|>',
  '<|eot_id|>',
  '<s>',
  '</s>',
  '[INST]',
  '\u0000',
  '\r\n',
  '\u2028',
  '\uFEFF',
  '\u0085',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const stringArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc
    .array(fc.oneof(loneSurrogate, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 40 })
    .map((parts) => parts.join('')),
  fc
    .array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 8 })), { maxLength: 30 })
    .map((p) => p.join('')),
);

const COUNT_MODELS = ['gpt-4o-mini', 'gpt-4', 'claude-3-5-sonnet'];

/** Record `text` as both a user and an assistant message, then check what a reload reads back. */
async function roundTrip(
  stores: { write: SessionStore; reread: () => SessionStore },
  text: string,
  model: string,
) {
  const sm = new SessionManager({ store: stores.write });
  await sm.userSays(text, { model });
  await sm.aiResponds(text, { model });
  const store = stores.reread();
  const events = await store.getEvents(sm.sessionId);
  expect(events.map((e) => e.message)).toEqual([text, text]);
  const expected = await countTokens(text, model);
  expect(events.map((e) => e.tokenUsage?.totalTokens)).toEqual([expected, expected]);
  expect(events[0]!.tokenUsage!.promptTokens).toBe(expected);
  expect(events[1]!.tokenUsage!.completionTokens).toBe(expected);
  const again = await SessionManager.open(sm.sessionId, { store });
  expect((await again.getMessagesForLLM()).map((m) => m.content)).toEqual([text, text]);
  figures.eventsWritten += events.length;
  return sm.conversationId;
}

describe('property (c): any string is stored and counted', () => {
  it(`random strings, seed ${PROPERTY_RUNS.strings.seed}`, async () => {
    const name = uniqueDbName('prop-strings');
    const dexie = new DexieSessionStore({ name });
    const memory = new MemorySessionStore();
    let reader: DexieSessionStore | undefined;
    const conversations: string[] = [];
    await check(
      'strings',
      fc.asyncProperty(stringArb, fc.constantFrom(...COUNT_MODELS), async (s, model) => {
        conversations.push(
          await roundTrip(
            {
              write: dexie,
              reread: () => {
                reader?.close();
                reader = new DexieSessionStore({ name });
                return reader;
              },
            },
            s,
            model,
          ),
        );
        await roundTrip({ write: memory, reread: () => memory }, s, model);
      }),
    );
    // Export and import keep every one of them exactly (JSON escapes lone surrogates).
    const target = new MemorySessionStore();
    for (const id of conversations) {
      const doc = await exportConversation(id, { store: dexie });
      await importConversation(JSON.stringify(doc), { store: target });
      expect(normalized(await exportConversation(id, { store: target }))).toEqual(normalized(doc));
    }
    reader?.close();
    await dexie.destroy();
  });

  const big: [string, () => string][] = [
    [
      'prose, mixed scripts and emoji',
      () => 'The quick brown fox jumps over the lazy dog. Ünïcödé ✓ 漢字 😀\n'.repeat(48_000),
    ],
    ['special-token text', () => '<|endoftext|><|im_start|>user\n'.repeat(85_000)],
    ['one letter repeated (a single pre-token piece)', () => 'a'.repeat(1_000_000)],
    [
      'random code points with lone surrogates',
      () =>
        fc
          .sample(fc.string({ unit: 'binary', minLength: 256, maxLength: 256 }), { seed: 7, numRuns: 1000 })
          .join('\uD800'),
    ],
  ];

  it.each(big)(
    'a large string of %s: stored, counted and read back',
    async (what, make) => {
      const s = make();
      figures.inputsTried += 1;
      const name = uniqueDbName('prop-big');
      const dexie = new DexieSessionStore({ name });
      const started = performance.now();
      const reread = () => {
        readers.push(new DexieSessionStore({ name }));
        return readers.at(-1)!;
      };
      await roundTrip({ write: dexie, reread }, s, MODEL);
      bigStrings.push({
        what,
        chars: s.length,
        utf8Bytes: Buffer.byteLength(s, 'utf8'),
        tokens: await countTokens(s, MODEL),
        ms: Math.round(performance.now() - started),
      });
      for (const store of readers.splice(0)) store.close();
      await dexie.destroy();
    },
    120_000,
  );
});
