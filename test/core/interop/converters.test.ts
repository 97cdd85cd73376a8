import {
  EventType,
  fromAnthropicMessages,
  fromOpenAIMessages,
  fromUIMessages,
  InvalidInputError,
  SessionAwareToolProcessor,
  SessionManager,
  type SessionEvent,
  toAnthropicMessages,
  toOpenAIMessages,
  toUIMessages,
  type UIMessage,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../../helpers';

const call = (id: string, name: string, args: unknown) => ({
  id,
  type: 'function' as const,
  function: { name, arguments: JSON.stringify(args) },
});

/** user → assistant with two tool calls (one fails) → a tool call with no assistant message → final answer. */
async function weatherChat(sm: SessionManager, failOslo = true): Promise<SessionEvent[]> {
  const weather = (args: { city: string }) => {
    if (args.city === 'Oslo' && failOslo) throw new Error('no data');
    return { tempC: args.city === 'Rome' ? 21 : 3 };
  };
  const processor = new SessionAwareToolProcessor({ manager: sm, tools: { weather }, maxRetries: 0 });
  await sm.userSays('Weather in Rome and Oslo?');
  await processor.processLLMMessage({
    content: 'Checking both.',
    tool_calls: [call('call_r', 'weather', { city: 'Rome' }), call('call_o', 'weather', { city: 'Oslo' })],
  });
  await sm.toolUsed('clock', {}, '12:00', { toolCallId: 'clk' });
  await sm.aiResponds('Rome is 21°C.');
  return sm.getEvents();
}

const stripIds = (messages: UIMessage[]) => messages.map(({ id: _id, ...rest }) => rest);

describe.each(storeFactories)('message converters on $kind store', (factory) => {
  it('toOpenAIMessages: assistant tool_calls followed by tool messages; orphan calls get an assistant with null content', async () => {
    const events = await weatherChat(new SessionManager({ store: factory.create() }));
    expect(toOpenAIMessages(events, { systemPrompt: 'Be helpful.' })).toEqual([
      { role: 'system', content: 'Be helpful.' },
      { role: 'user', content: 'Weather in Rome and Oslo?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          { id: 'call_r', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
          { id: 'call_o', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_r', content: '{"tempC":21}' },
      { role: 'tool', tool_call_id: 'call_o', content: 'no data' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'clk', type: 'function', function: { name: 'clock', arguments: '{}' } }],
      },
      // A text result is shown as the text, not JSON-quoted.
      { role: 'tool', tool_call_id: 'clk', content: '12:00' },
      { role: 'assistant', content: 'Rome is 21°C.' },
    ]);
  });

  it('toAnthropicMessages: system split out, tool_use blocks, then tool_result blocks with is_error', async () => {
    const events = await weatherChat(new SessionManager({ store: factory.create() }));
    expect(toAnthropicMessages(events, { systemPrompt: 'Be helpful.' })).toEqual({
      system: 'Be helpful.',
      messages: [
        { role: 'user', content: 'Weather in Rome and Oslo?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'call_r', name: 'weather', input: { city: 'Rome' } },
            { type: 'tool_use', id: 'call_o', name: 'weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_r', content: '{"tempC":21}' },
            { type: 'tool_result', tool_use_id: 'call_o', content: 'no data', is_error: true },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'clk', name: 'clock', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'clk', content: '12:00' }] },
        { role: 'assistant', content: 'Rome is 21°C.' },
      ],
    });
    expect(toAnthropicMessages(events).system).toBeUndefined();
  });

  it('toUIMessages: text and tool-<name> parts; one assistant UIMessage per response, every step opens with step-start', async () => {
    const events = await weatherChat(new SessionManager({ store: factory.create() }));
    const [user, assistant] = events;
    expect(toUIMessages(events)).toEqual([
      { id: user!.id, role: 'user', parts: [{ type: 'text', text: 'Weather in Rome and Oslo?' }] },
      {
        id: assistant!.id,
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'text', text: 'Checking both.', state: 'done' },
          {
            type: 'tool-weather',
            toolCallId: 'call_r',
            state: 'output-available',
            input: { city: 'Rome' },
            output: { tempC: 21 },
          },
          {
            type: 'tool-weather',
            toolCallId: 'call_o',
            state: 'output-error',
            input: { city: 'Oslo' },
            errorText: 'no data',
          },
          { type: 'step-start' },
          { type: 'tool-clock', toolCallId: 'clk', state: 'output-available', input: {}, output: '12:00' },
          { type: 'step-start' },
          { type: 'text', text: 'Rome is 21°C.', state: 'done' },
        ],
      },
    ]);
  });

  it('round-trips each format through from…Messages into another store', async () => {
    const sm = new SessionManager({ store: factory.create(), systemPrompt: 'Be helpful.' });
    const events = await weatherChat(sm);
    const system = { systemPrompt: 'Be helpful.' };

    const anthropic = toAnthropicMessages(events, system);
    const a = await fromAnthropicMessages(anthropic, { store: factory.create() });
    expect(a.systemPrompt).toBe('Be helpful.');
    expect(toAnthropicMessages(await a.getEvents(), { systemPrompt: a.systemPrompt! })).toEqual(anthropic);

    const ui = toUIMessages(events, system);
    const u = await fromUIMessages(ui, { store: factory.create() });
    expect(stripIds(toUIMessages(await u.getEvents(), { systemPrompt: u.systemPrompt! }))).toEqual(
      stripIds(ui),
    );

    // OpenAI marks no tool errors, so use a chat where every call succeeds.
    const ok = await weatherChat(new SessionManager({ store: factory.create() }), false);
    const openai = toOpenAIMessages(ok, system);
    const o = await fromOpenAIMessages(openai, { store: factory.create() });
    const recorded = await o.getEvents();
    expect(toOpenAIMessages(recorded, { systemPrompt: o.systemPrompt! })).toEqual(openai);
    // Links survive: tool calls point at the assistant event that asked for them.
    const [, assistant, rome, oslo, clock] = recorded;
    expect([rome!.parentEventId, oslo!.parentEventId, clock!.parentEventId]).toEqual([
      assistant!.id,
      assistant!.id,
      undefined,
    ]);
    expect(rome!.message).toMatchObject({ tool: 'weather', toolCallId: 'call_r', result: { tempC: 21 } });
  });

  it('fromOpenAIMessages records into a given manager and resolves to it', async () => {
    const sm = new SessionManager({ store: factory.create() });
    await sm.userSays('earlier');
    const returned = await fromOpenAIMessages(
      [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: 'Hello' },
      ],
      { manager: sm },
    );
    expect(returned).toBe(sm);
    expect((await sm.getConversation()).map((t) => t.content)).toEqual(['earlier', 'Hi', 'Hello']);
  });

  it('from…Messages check the whole transcript first: bad input writes nothing', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    const openaiError = await fromOpenAIMessages(
      [
        { role: 'user', content: 'q' },
        { role: 'tool', tool_call_id: 'never-asked', content: '1' },
      ],
      { manager: sm },
    ).catch((e) => e);
    expect(openaiError).toBeInstanceOf(InvalidInputError);
    expect(openaiError.path).toBe('messages[1].tool_call_id');
    await expect(
      fromAnthropicMessages(
        { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: '' }] }] },
        { manager: sm },
      ),
    ).rejects.toThrow(/messages\[0\]\.content\[0\]\.tool_use_id/);
    await expect(
      fromUIMessages(
        [
          {
            role: 'assistant',
            parts: [
              {
                type: 'tool-x',
                toolCallId: 't',
                state: 'output-available',
                input: { d: new Date() },
                output: 1,
              },
            ],
          },
        ],
        { manager: sm },
      ),
    ).rejects.toThrow(/messages\[0\]\.parts\[0\]\.input\.d/);
    expect(await sm.getEvents()).toEqual([]);
    expect(await store.listConversations()).toEqual([]);
  });

  it('from…Messages refuse blank tool names and ids before writing anything (they used to write 1–2 events first)', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    const fail = async (p: Promise<unknown>, path: string) => {
      const error = (await p.catch((e: unknown) => e)) as InvalidInputError;
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.path).toBe(path);
    };
    const assistant = (name: string, id: string) => ({
      role: 'assistant',
      content: 'calling',
      tool_calls: [{ id, type: 'function', function: { name, arguments: '{}' } }],
    });
    const user = { role: 'user', content: 'q' };
    await fail(
      fromOpenAIMessages([user, assistant(' ', 'c1'), { role: 'tool', tool_call_id: 'c1', content: '1' }], {
        manager: sm,
      }),
      'messages[1].tool_calls[0].function.name',
    );
    await fail(
      fromOpenAIMessages([user, assistant('t', ''), { role: 'tool', tool_call_id: '', content: '1' }], {
        manager: sm,
      }),
      'messages[1].tool_calls[0].id',
    );
    await fail(
      fromOpenAIMessages([user, { role: 'tool', tool_call_id: '  ', content: '1' }], { manager: sm }),
      'messages[1].tool_call_id',
    );
    const anthropic = (name: string, id: string, resultId = id) => ({
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'calling' },
            { type: 'tool_use', id, name, input: {} },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: resultId, content: '1' }] },
      ],
    });
    await fail(fromAnthropicMessages(anthropic('', 'u1'), { manager: sm }), 'messages[1].content[1].name');
    await fail(fromAnthropicMessages(anthropic('t', ' '), { manager: sm }), 'messages[1].content[1].id');
    const ui = (type: string, toolCallId: string, extra: Record<string, unknown> = {}) => [
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: 'calling' },
          { type, toolCallId, state: 'output-available', input: {}, output: 1, ...extra },
        ],
      },
    ];
    await fail(fromUIMessages(ui('tool-', 'c1'), { manager: sm }), 'messages[1].parts[1].type');
    await fail(fromUIMessages(ui('tool-t', ''), { manager: sm }), 'messages[1].parts[1].toolCallId');
    await fail(
      fromUIMessages(ui('dynamic-tool', 'c1', { toolName: ' ' }), { manager: sm }),
      'messages[1].parts[1].toolName',
    );
    expect(await sm.getEvents()).toEqual([]);
    expect(await store.listConversations()).toEqual([]);
  });

  it('fromUIMessages reads an AI SDK multi-step response: tools before text stand alone, skipped states are skipped', async () => {
    const sm = await fromUIMessages(
      [
        { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Time?' }] },
        {
          id: 'a1',
          role: 'assistant',
          parts: [
            { type: 'step-start' },
            {
              type: 'dynamic-tool',
              toolName: 'clock',
              toolCallId: 'c1',
              state: 'output-available',
              input: {},
              output: '12:00',
            },
            { type: 'tool-search', toolCallId: 'c2', state: 'input-streaming', input: {} },
            { type: 'reasoning', text: 'thinking' },
            { type: 'step-start' },
            { type: 'text', text: "It's noon." },
          ],
        },
      ],
      { store: factory.create() },
    );
    const events = await sm.getEvents();
    expect(
      events.map((e) => [
        e.type,
        e.type === EventType.TOOL_CALL ? (e.message as { tool: string }).tool : e.message,
      ]),
    ).toEqual([
      [EventType.MESSAGE, 'Time?'],
      [EventType.TOOL_CALL, 'clock'],
      [EventType.MESSAGE, "It's noon."],
    ]);
    expect(events[1]!.parentEventId).toBeUndefined();
  });

  it('includeSummary gives the model view after a rollover: the latest summary replaces what it summarizes', async () => {
    const sm = new SessionManager({
      store: factory.create(),
      systemPrompt: 'sys',
      infiniteContext: true,
      maxTurnsPerSegment: 2,
    });
    await sm.userSays('My name is Ada');
    await sm.aiResponds('Hi Ada');
    await sm.userSays('What is my name?');
    const events = await sm.getEvents({ includeAllSegments: true });
    const modelView = toOpenAIMessages(events, { systemPrompt: 'sys', includeSummary: true });
    expect(modelView).toEqual(await sm.getMessagesForLLM());
    expect(toOpenAIMessages(events).map((m) => m.content)).toEqual([
      'My name is Ada',
      'Hi Ada',
      'What is my name?',
    ]);
  });
});
