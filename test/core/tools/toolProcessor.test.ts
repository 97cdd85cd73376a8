import {
  BoundedCache,
  EventType,
  InvalidInputError,
  SessionAwareToolProcessor,
  SessionManager,
  type SessionEvent,
  type ToolCallMessage,
} from '@ai-session-manager/core';
import { describe, expect, it, vi } from 'vitest';
import { storeFactories } from '../../helpers';

const call = (id: string, name: string, args: string) => ({
  id,
  type: 'function' as const,
  function: { name, arguments: args },
});

const toolEvents = async (sm: SessionManager) =>
  (await sm.getEvents()).filter((e) => e.type === EventType.TOOL_CALL) as SessionEvent<ToolCallMessage>[];

describe.each(storeFactories)('SessionAwareToolProcessor on $kind store', (factory) => {
  it('records the assistant message, runs each call and links one TOOL_CALL event per call to it', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const weather = vi.fn(async (args: { city: string }) => ({ city: args.city, tempC: 21 }));
    const add = vi.fn((args: { a: number; b: number }) => args.a + args.b);
    const processor = new SessionAwareToolProcessor({
      manager: sm,
      tools: { weather, add },
      retryDelayMs: 0,
    });
    const replies = await processor.processLLMMessage(
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [call('call_1', 'weather', '{"city":"Rome"}'), call('call_2', 'add', '{"a":2,"b":3}')],
      },
      { model: 'gpt-4o' },
    );
    expect(replies).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: '{"city":"Rome","tempC":21}' },
      { role: 'tool', tool_call_id: 'call_2', content: '5' },
    ]);
    expect(weather).toHaveBeenCalledWith({ city: 'Rome' });
    const [assistant, ...tools] = await sm.getEvents();
    expect(assistant).toMatchObject({
      type: EventType.MESSAGE,
      message: 'Let me check.',
      metadata: { model: 'gpt-4o' },
    });
    expect(tools).toHaveLength(2);
    expect(tools.map((e) => [e.parentEventId, e.message, e.metadata])).toEqual([
      [
        assistant!.id,
        {
          tool: 'weather',
          arguments: { city: 'Rome' },
          result: { city: 'Rome', tempC: 21 },
          error: null,
          toolCallId: 'call_1',
        },
        { attempts: 1, cached: false },
      ],
      [
        assistant!.id,
        { tool: 'add', arguments: { a: 2, b: 3 }, result: 5, error: null, toolCallId: 'call_2' },
        { attempts: 1, cached: false },
      ],
    ]);
  });

  it('a tool that throws every time is called 1 + maxRetries times, then becomes an error result', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const flaky = vi.fn(() => {
      throw new Error('service down');
    });
    const processor = new SessionAwareToolProcessor({
      manager: sm,
      tools: { flaky },
      maxRetries: 2,
      retryDelayMs: 0,
    });
    const replies = await processor.processLLMMessage({
      content: null,
      tool_calls: [call('c1', 'flaky', '{}')],
    });
    expect(flaky).toHaveBeenCalledTimes(3);
    expect(replies).toEqual([{ role: 'tool', tool_call_id: 'c1', content: 'service down' }]);
    const [event] = await toolEvents(sm);
    expect(event!.message).toMatchObject({ tool: 'flaky', result: null, error: 'service down' });
    expect(event!.metadata).toEqual({ attempts: 3, cached: false });
    // A failure is not cached: the next call runs the tool again.
    await processor.processLLMMessage({ content: null, tool_calls: [call('c2', 'flaky', '{}')] });
    expect(flaky).toHaveBeenCalledTimes(6);
  });

  it('retries until the tool succeeds, waiting retryDelayMs between attempts', async () => {
    const sm = new SessionManager({ store: factory.create() });
    let calls = 0;
    const times: number[] = [];
    const sometimes = async () => {
      times.push(Date.now());
      if (++calls < 3) throw new Error(`attempt ${calls} failed`);
      return 'ok';
    };
    const processor = new SessionAwareToolProcessor({
      manager: sm,
      tools: { sometimes },
      maxRetries: 2,
      retryDelayMs: 40,
    });
    const [reply] = await processor.processLLMMessage({
      content: 'x',
      tool_calls: [call('c', 'sometimes', '{}')],
    });
    expect(reply!.content).toBe('"ok"');
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(35);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(35);
    expect((await toolEvents(sm))[0]!.metadata).toEqual({ attempts: 3, cached: false });
  });

  it('caches a success by name and arguments (in any key order): the tool runs once, every call is logged', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const lookup = vi.fn((args: { a: number; b: number }) => ({ sum: args.a + args.b }));
    const processor = new SessionAwareToolProcessor({ manager: sm, tools: { lookup }, retryDelayMs: 0 });
    await processor.processLLMMessage({
      content: 'first',
      tool_calls: [call('c1', 'lookup', '{"a":1,"b":2}')],
    });
    const [again] = await processor.processLLMMessage({
      content: 'second',
      tool_calls: [call('c2', 'lookup', '{ "b": 2, "a": 1 }')],
    });
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(again).toEqual({ role: 'tool', tool_call_id: 'c2', content: '{"sum":3}' });
    const events = await toolEvents(sm);
    expect(events.map((e) => e.metadata.cached)).toEqual([false, true]);
    expect(events[1]!.message.result).toEqual({ sum: 3 });
    // Identical calls in one message run once too.
    const twice = vi.fn(() => 1);
    const p2 = new SessionAwareToolProcessor({ manager: sm, tools: { twice }, retryDelayMs: 0 });
    await p2.processLLMMessage({
      content: '',
      tool_calls: [call('d1', 'twice', '{}'), call('d2', 'twice', '{}')],
    });
    expect(twice).toHaveBeenCalledTimes(1);
  });

  it('without caching, or once evicted from the bounded cache, the tool runs again', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const echo = vi.fn((args: { v: number }) => args.v);
    const uncached = new SessionAwareToolProcessor({
      manager: sm,
      tools: { echo },
      enableCaching: false,
      retryDelayMs: 0,
    });
    await uncached.processLLMMessage({ content: '', tool_calls: [call('a', 'echo', '{"v":1}')] });
    await uncached.processLLMMessage({ content: '', tool_calls: [call('b', 'echo', '{"v":1}')] });
    expect(echo).toHaveBeenCalledTimes(2);

    echo.mockClear();
    const small = new SessionAwareToolProcessor({
      manager: sm,
      tools: { echo },
      maxCacheEntries: 2,
      retryDelayMs: 0,
    });
    for (const v of [1, 2, 3, 1]) {
      await small.processLLMMessage({
        content: '',
        tool_calls: [call(`v${v}`, 'echo', JSON.stringify({ v }))],
      });
    }
    expect(small.cacheSize).toBe(2);
    expect(echo.mock.calls.map(([args]) => args.v)).toEqual([1, 2, 3, 1]);
  });

  it('passes invalid JSON arguments as { raw } and records them that way', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const search = vi.fn((args: unknown) => args);
    const processor = new SessionAwareToolProcessor({ manager: sm, tools: { search }, retryDelayMs: 0 });
    const [reply] = await processor.processLLMMessage({
      content: '',
      tool_calls: [call('c', 'search', '{"q": "rome"')],
    });
    expect(search).toHaveBeenCalledWith({ raw: '{"q": "rome"' });
    expect(reply!.content).toBe(JSON.stringify({ raw: '{"q": "rome"' }));
    expect((await toolEvents(sm))[0]!.message.arguments).toEqual({ raw: '{"q": "rome"' });
  });

  it('an unknown tool is an error result, not a rejection', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const known = vi.fn();
    const processor = new SessionAwareToolProcessor({ manager: sm, tools: { known }, retryDelayMs: 0 });
    const replies = await processor.processLLMMessage({
      content: '',
      tool_calls: [call('c', 'missing', '{}')],
    });
    expect(replies[0]!.content).toBe('Unknown tool "missing" (known tools: known).');
    const [event] = await toolEvents(sm);
    expect(event!.message).toMatchObject({
      tool: 'missing',
      error: 'Unknown tool "missing" (known tools: known).',
    });
    expect(known).not.toHaveBeenCalled();
  });

  it('a result that is not JSON-serializable is an error naming the path, not a crash', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const dated = vi.fn(() => ({ rows: [{ when: new Date(0) }] }));
    const processor = new SessionAwareToolProcessor({ manager: sm, tools: { dated }, retryDelayMs: 0 });
    const [reply] = await processor.processLLMMessage({
      content: '',
      tool_calls: [call('c', 'dated', '{}')],
    });
    expect(reply!.content).toMatch(
      /^Tool "dated" returned a value that is not JSON: result\.rows\[0\]\.when/,
    );
    expect(dated).toHaveBeenCalledTimes(1);
    const [event] = await toolEvents(sm);
    expect(event!.message.error).toContain('result.rows[0].when');
    expect(event!.message.result).toBeNull();
  });

  it('a tool returning nothing has a null result', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const processor = new SessionAwareToolProcessor({
      manager: sm,
      tools: { noop: () => undefined },
      retryDelayMs: 0,
    });
    const [reply] = await processor.processLLMMessage({ content: '', tool_calls: [call('c', 'noop', '')] });
    expect(reply!.content).toBe('null');
    expect((await toolEvents(sm))[0]!.message).toMatchObject({ arguments: {}, result: null, error: null });
  });

  it('a message without tool calls is just recorded', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const processor = new SessionAwareToolProcessor({ manager: sm, tools: {}, retryDelayMs: 0 });
    expect(await processor.processLLMMessage({ content: 'Hello!' })).toEqual([]);
    expect((await sm.getConversation()).map((t) => t.content)).toEqual(['Hello!']);
  });

  it('rejects a malformed message before recording or running anything', async () => {
    const sm = new SessionManager({ store: factory.create() });
    const tool = vi.fn();
    const processor = new SessionAwareToolProcessor({ manager: sm, tools: { tool }, retryDelayMs: 0 });
    const bad = {
      content: 'x',
      tool_calls: [call('ok', 'tool', '{}'), { id: 'c2', function: { arguments: '{}' } }],
    };
    const error = await processor.processLLMMessage(bad as never).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.path).toBe('tool_calls[1].function.name');
    expect(tool).not.toHaveBeenCalled();
    expect(await sm.getEvents()).toEqual([]);
  });

  it('checks its options at once', () => {
    const sm = new SessionManager({ store: factory.create() });
    expect(() => new SessionAwareToolProcessor({ manager: sm, tools: { x: 1 as never } })).toThrow(
      /tools\.x must be a function/,
    );
    expect(() => new SessionAwareToolProcessor({ manager: sm, tools: {}, maxRetries: -1 })).toThrow(
      /maxRetries/,
    );
    expect(() => new SessionAwareToolProcessor({ manager: sm, tools: {}, retryDelayMs: Number.NaN })).toThrow(
      /retryDelayMs/,
    );
    expect(() => new SessionAwareToolProcessor({ manager: sm, tools: {}, maxCacheEntries: 0 })).toThrow(
      /maxCacheEntries/,
    );
  });
});

describe('BoundedCache', () => {
  it('evicts the least recently used entry first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(cache.size).toBe(2);
  });
});

describe.each(storeFactories)('toolUsed link ids on $kind store', (factory) => {
  it('refuses a toolCallId or parentEventId that is not a non-empty string, writing nothing', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await expect(sm.toolUsed('t', {}, 1, { toolCallId: 5 as unknown as string })).rejects.toThrow(
      /toolCallId must be a string/,
    );
    await expect(sm.toolUsed('t', {}, 1, { parentEventId: '' })).rejects.toThrow(
      /parentEventId must not be empty/,
    );
    expect(await sm.getEvents()).toEqual([]);
  });
});
