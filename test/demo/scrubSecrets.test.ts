import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOpenAIResponder } from '../../apps/demo/src/openAIResponder';
import { collectReply } from '../../apps/demo/src/responder';
import { scrubSecrets } from '../../apps/demo/src/scrubSecrets';
import { createSecretFilter } from '../../apps/demo/src/scrubStream';

const KEY = 'sk-proj-AbCdEf0123456789xyz';

describe('scrubSecrets: endpoint text never carries a key', () => {
  it('removes the key itself, Bearer tokens, sk-…-like tokens and key assignments', () => {
    const text = scrubSecrets(
      `Invalid API key: ${KEY}. Header was "Authorization: Bearer ${KEY}"; also sk-ant-api03-zzzzzzzzzzzz, api_key=abcd1234efgh and a custom key my-own-key-value`,
      ['my-own-key-value'],
    );
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('sk-ant-api03');
    expect(text).not.toContain('abcd1234efgh');
    expect(text).not.toContain('my-own-key-value');
    expect(text).toContain('Invalid API key: [redacted]');
    expect(text).toContain('Bearer [redacted]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Incorrect API key provided. You can find your key at https://platform.openai.com/account.';
    expect(scrubSecrets(text)).toBe(text);
    expect(scrubSecrets('risk-free ask-me task-list', [''])).toBe('risk-free ask-me task-list');
  });

  it.each([
    'xsk-proj-abcdefghijklmnop',
    'token_sk-abcdefghijklmnop1234',
    '?api_key%3Dsk-proj-abcdefghijklmnop',
    'api_key%3Dabcd1234efgh',
    '%22apiKey%22%3A%22abcd1234efgh%22',
  ])('catches a key glued to a word or URL-encoded: %s', (raw) => {
    const secret = raw.includes('abcd1234efgh') ? 'abcd1234efgh' : 'abcdefghijklmnop';
    expect(scrubSecrets(`see ${raw} here`)).not.toContain(secret);
    // Streamed: split in the middle of the key, one piece per delta.
    const filter = createSecretFilter([]);
    const text = `see ${raw} here`;
    const cut = text.indexOf(secret) + 4;
    const out = filter.push(text.slice(0, cut)) + filter.push(text.slice(cut)) + filter.end();
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});

describe('OpenAI-compatible responder: errors name the URL and the cause, never the key', () => {
  afterEach(() => vi.unstubAllGlobals());
  const responder = () =>
    createOpenAIResponder({ baseUrl: 'http://127.0.0.1:9/v1/', model: 'gpt-4o-mini', apiKey: KEY });
  const url = 'http://127.0.0.1:9/v1/chat/completions';

  it('a 401 whose body repeats the key', async () => {
    vi.stubGlobal('fetch', async () =>
      Response.json({ error: { message: `Incorrect API key provided: ${KEY}` } }, { status: 401 }),
    );
    const reply = collectReply(
      responder().stream({ text: 'hi', history: [{ role: 'user', content: 'hi' }] }),
    );
    await expect(reply).rejects.toMatchObject({ name: 'EndpointError', failure: 'auth', url, status: 401 });
    const error = (await reply.catch((e: Error) => e)) as Error;
    expect(error.message).toContain(`${url} answered 401`);
    expect(error.message).toContain('API key');
    expect(error.message).not.toContain(KEY);
    // The summarizer's error (core stores it as summaryError) is scrubbed the same way.
    const summary = await responder().summarize!([{ role: 'user', content: 'hi' }]).catch((e: Error) => e);
    expect(summary).toBeInstanceOf(Error);
    expect((summary as Error).message).not.toContain(KEY);
  });

  it('fetch itself failing (offline, or CORS) says so and names the URL', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await collectReply(responder().stream({ text: 'hi', history: [] })).catch((e: Error) => e);
    expect(error).toMatchObject({ failure: 'network', url });
    expect((error as Error).message).toContain(`Could not reach ${url} (Failed to fetch)`);
    expect((error as Error).message).toContain('CORS');
  });

  it('a reply whose text quotes the key is stored scrubbed', async () => {
    vi.stubGlobal('fetch', async () =>
      Response.json({ choices: [{ message: { role: 'assistant', content: `Your key is ${KEY}` } }] }),
    );
    const reply = await collectReply(responder().stream({ text: 'hi', history: [] }));
    expect(reply.text).toBe('Your key is [redacted]');
  });
});

/** A `text/event-stream` response made of these `data:` payloads, one network chunk each. */
function sse(payloads: unknown[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of payloads) {
        controller.enqueue(encoder.encode(`data: ${typeof p === 'string' ? p : JSON.stringify(p)}\n\n`));
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

const delta = (content: string) => ({ choices: [{ index: 0, delta: { content } }] });

describe('OpenAI-compatible responder: streamed answers (SSE)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const responder = () =>
    createOpenAIResponder({ baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-4o-mini', apiKey: KEY });

  it('asks with stream: true and include_usage, yields the text as it arrives and the usage of the last chunk', async () => {
    const bodies: Record<string, unknown>[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
      return sse([
        delta('Hello'),
        delta(' there,'),
        delta(' friend.'),
        { choices: [], usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } },
        '[DONE]',
      ]);
    });
    const chunks = [];
    for await (const chunk of responder().stream({ text: 'hi', history: [{ role: 'user', content: 'hi' }] }))
      chunks.push(chunk);
    expect(bodies[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const texts = chunks.filter((c) => c.kind === 'text');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((c) => (c.kind === 'text' ? c.delta : '')).join('')).toBe('Hello there, friend.');
    expect(chunks.at(-1)).toEqual({
      kind: 'usage',
      usage: {
        promptTokens: 12,
        completionTokens: 4,
        totalTokens: 16,
        cachedPromptTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('a key split across two deltas never comes out, in any piece', async () => {
    vi.stubGlobal('fetch', async () =>
      sse([delta('Your key is '), delta(KEY.slice(0, 9)), delta(KEY.slice(9)), delta(' ok'), '[DONE]']),
    );
    const pieces: string[] = [];
    for await (const chunk of responder().stream({ text: 'hi', history: [] }))
      if (chunk.kind === 'text') pieces.push(chunk.delta);
    expect(pieces.join('')).toBe('Your key is [redacted] ok');
    for (const piece of pieces) expect(KEY.includes(piece.trim()) && piece.trim().length > 3).toBe(false);
  });

  it('assembles streamed tool-call pieces, runs the calculator and streams the next round', async () => {
    let round = 0;
    vi.stubGlobal('fetch', async () => {
      round += 1;
      if (round === 1) {
        return sse([
          {
            choices: [
              {
                delta: {
                  tool_calls: [
                    { index: 0, id: 'call_a', function: { name: 'calculator', arguments: '{"expr' } },
                  ],
                },
              },
            ],
          },
          { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: 'ession":"6*7"}' } }] } }] },
          '[DONE]',
        ]);
      }
      return sse([delta('It is '), delta('42.'), '[DONE]']);
    });
    const reply = await collectReply(responder().stream({ text: 'what is 6*7?', history: [] }));
    expect(reply.toolCalls).toMatchObject([
      { toolCallId: 'call_a', name: 'calculator', arguments: { expression: '6*7' }, result: { value: 42 } },
    ]);
    expect(reply.text).toBe('It is 42.');
  });
});
