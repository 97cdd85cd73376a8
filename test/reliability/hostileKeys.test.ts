// Regression tests for the defects the property tests found: JSON.parse makes "__proto__" an
// own key (a model's tool-call arguments can hold one), and plain assignment `out[key] = v`
// sets the prototype instead, silently dropping the key. Recording, import and the tool cache
// each did that; now the key is kept as data and no prototype is touched.
import {
  exportConversation,
  importConversation,
  SessionAwareToolProcessor,
  SessionManager,
} from '@ai-session-manager/core';
import { describe, expect, it } from 'vitest';
import { storeFactories } from '../helpers';
import { figures, reportFigures } from './support';

reportFigures('hostileKeys');

/** Objects as sorted [key, value] lists: compares key sets exactly ("__proto__" included), not key order. */
function entries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(entries);
  if (value === null || typeof value !== 'object') return value;
  return Object.keys(value)
    .sort()
    .map((key) => [key, entries((value as Record<string, unknown>)[key])]);
}

const hostile = () => JSON.parse('{"__proto__":{"isAdmin":true},"a":1,"nested":{"__proto__":[1,2]}}');

describe.each(storeFactories)('own "__proto__" keys ($kind store)', (factory) => {
  it('are recorded as data in tool arguments, results and metadata, and survive reload and export/import', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    await sm.userSays('hi', hostile());
    await sm.toolUsed('lookup', hostile(), hostile(), hostile());
    const reread = await SessionManager.open(sm.sessionId, { store: factory.reopen(store) });
    const [user, tool] = await reread.getEvents();
    for (const value of [
      user!.metadata,
      tool!.metadata,
      (tool!.message as { arguments: unknown }).arguments,
      (tool!.message as { result: unknown }).result,
    ]) {
      expect(Object.keys(value as object)).toEqual(['__proto__', 'a', 'nested']);
      expect(JSON.stringify(value)).toBe(JSON.stringify(hostile()));
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    }

    const doc = await exportConversation(sm.conversationId, { store });
    const target = factory.create();
    await importConversation(JSON.stringify(doc), { store: target });
    const again = await exportConversation(sm.conversationId, { store: target });
    expect(entries({ ...again, exportedAt: 0 })).toEqual(entries({ ...doc, exportedAt: 0 }));
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    figures.inputsTried += 6;
    figures.eventsWritten += again.events.length;
  });

  it('in a metadata or state record of an imported document are kept, not dropped', async () => {
    const store = factory.create();
    const sm = new SessionManager({ store });
    await sm.userSays('hi');
    const text = JSON.stringify(await exportConversation(sm.conversationId, { store }));
    const withKey = text.replace('"metadata":{}', '"metadata":{"__proto__":{"evil":1},"b":2}');
    expect(withKey).not.toBe(text);
    const target = factory.create();
    await importConversation(withKey, { store: target });
    const imported = await exportConversation(sm.conversationId, { store: target });
    expect(entries({ ...imported, exportedAt: 0 })).toEqual(
      entries({ ...JSON.parse(withKey), exportedAt: 0 }),
    );
    figures.inputsTried += 1;
  });
});

it('the tool cache keeps calls whose arguments differ only under "__proto__" apart', async () => {
  const sm = new SessionManager({ store: storeFactories[1]!.create() });
  const seen: unknown[] = [];
  const tools = new SessionAwareToolProcessor({
    manager: sm,
    tools: {
      echo: (args) => {
        seen.push(args);
        return args;
      },
    },
    retryDelayMs: 0,
  });
  const call = (id: string, args: string) => ({
    id,
    type: 'function' as const,
    function: { name: 'echo', arguments: args },
  });
  const results = await tools.processLLMMessage({
    content: '',
    tool_calls: [
      call('c1', '{"__proto__":{"user":"alice"}}'),
      call('c2', '{"__proto__":{"user":"mallory"}}'),
    ],
  });
  expect(seen).toHaveLength(2);
  expect(results.map((r) => r.content)).toEqual([
    '{"__proto__":{"user":"alice"}}',
    '{"__proto__":{"user":"mallory"}}',
  ]);
  figures.inputsTried += 2;
});
