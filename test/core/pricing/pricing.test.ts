import { afterEach, describe, expect, it } from 'vitest';
import {
  estimateCost,
  getContextWindow,
  registerModel,
  unregisterModel,
} from '../../../packages/core/src/pricing';
import type { ModelDefinition } from '../../../packages/core/src/pricing';
// The catalog's own lookup (@pydantic/genai-prices resolves from packages/core only).
import { catalogPrice } from '../../../packages/core/src/pricing/priceCatalog';
import { countTokens, encodingForModel, tokenCountSource } from '../../../packages/core/src/tokens';

const M = 1_000_000;

async function catalogRates(model: string): Promise<{ input: number; output: number }> {
  const rates = (await catalogPrice(model, { input_tokens: 0, output_tokens: 0 }))?.model_price;
  if (typeof rates?.input_mtok !== 'number' || typeof rates.output_mtok !== 'number') {
    throw new Error(`catalog has no flat rates for ${model}`);
  }
  return { input: rates.input_mtok, output: rates.output_mtok };
}

const registered: string[] = [];
function register(definition: ModelDefinition): void {
  registerModel(definition);
  registered.push(definition.id);
}

afterEach(() => {
  for (const id of registered.splice(0)) unregisterModel(id);
});

describe('catalog prices', () => {
  it('prices gpt-4o-mini at the catalog rates', async () => {
    const { input, output } = await catalogRates('gpt-4o-mini');
    expect(input).toBe(0.15);
    expect(output).toBe(0.6);
    const cost = await estimateCost({ model: 'gpt-4o-mini', promptTokens: M, completionTokens: M });
    expect(cost).toBeCloseTo(input + output, 12);
    expect(cost).toBeCloseTo(0.75, 12);
    const small = await estimateCost({ model: 'gpt-4o-mini', promptTokens: 1200, completionTokens: 300 });
    expect(small).toBeCloseTo((1200 * input + 300 * output) / M, 15);
  });

  it('resolves dated and provider-prefixed ids through the catalog', async () => {
    const base = await estimateCost({ model: 'gpt-4o-mini', promptTokens: 1000, completionTokens: 1000 });
    for (const model of ['gpt-4o-mini-2024-07-18', 'openai/gpt-4o-mini', 'GPT-4o-mini']) {
      expect(await estimateCost({ model, promptTokens: 1000, completionTokens: 1000 }), model).toBe(base);
    }
  });

  it('prices 2025 models', async () => {
    const gpt5 = await catalogRates('gpt-5');
    expect(await estimateCost({ model: 'gpt-5', promptTokens: M, completionTokens: M })).toBeCloseTo(
      gpt5.input + gpt5.output,
      12,
    );
    for (const model of ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'gemini-2.5-pro']) {
      const cost = await estimateCost({ model, promptTokens: 10_000, completionTokens: 1_000 });
      expect(cost, model).toBeGreaterThan(0);
    }
  });

  it('returns null for an unknown model, never an invented price', async () => {
    for (const model of ['totally-unknown-model', 'acme/nothing-here', '']) {
      expect(await estimateCost({ model, promptTokens: 1000, completionTokens: 1000 }), model).toBeNull();
    }
  });

  it('costs nothing for no tokens and rejects invalid counts', async () => {
    expect(await estimateCost({ model: 'gpt-4o', promptTokens: 0, completionTokens: 0 })).toBe(0);
    await expect(estimateCost({ model: 'gpt-4o', promptTokens: -1, completionTokens: 0 })).rejects.toThrow(
      /promptTokens/,
    );
    await expect(
      estimateCost({ model: 'gpt-4o', promptTokens: 1, completionTokens: Number.NaN }),
    ).rejects.toThrow(RangeError);
  });

  it('reads context windows from the catalog', async () => {
    expect(await getContextWindow('gpt-4o-mini')).toBe(128_000);
    expect(await getContextWindow('gpt-5')).toBeGreaterThan(128_000);
    expect(await getContextWindow('totally-unknown-model')).toBeNull();
  });
});

describe('registerModel', () => {
  it('overrides the catalog and prices custom models', async () => {
    register({ id: 'gpt-4o-mini', inputPerMTok: 1, outputPerMTok: 2 });
    expect(await estimateCost({ model: 'gpt-4o-mini', promptTokens: M, completionTokens: M })).toBe(3);
    expect(await estimateCost({ model: 'openai/gpt-4o-mini', promptTokens: M, completionTokens: 0 })).toBe(1);

    register({ id: 'acme-llm-7b', inputPerMTok: 0.5, outputPerMTok: 1.5, contextWindow: 32_768 });
    expect(
      await estimateCost({ model: 'acme-llm-7b', promptTokens: 2000, completionTokens: 1000 }),
    ).toBeCloseTo((2000 * 0.5 + 1000 * 1.5) / M, 15);
    expect(await estimateCost({ model: 'ACME-LLM-7B', promptTokens: M, completionTokens: 0 })).toBe(0.5);
    expect(await getContextWindow('acme-llm-7b')).toBe(32_768);
  });

  it('can be removed again', async () => {
    register({ id: 'gpt-4o-mini', inputPerMTok: 1, outputPerMTok: 2 });
    expect(unregisterModel('gpt-4o-mini')).toBe(true);
    expect(await estimateCost({ model: 'gpt-4o-mini', promptTokens: M, completionTokens: M })).toBeCloseTo(
      0.75,
      12,
    );
  });

  it('rejects invalid definitions with a clear error', () => {
    const valid = { id: 'x', inputPerMTok: 1, outputPerMTok: 1 };
    expect(() => registerModel({ ...valid, id: '' })).toThrow(/id must be a non-empty string/);
    expect(() => registerModel({ ...valid, id: '   ' })).toThrow(TypeError);
    expect(() => registerModel({ ...valid, id: 42 as unknown as string })).toThrow(/id/);
    expect(() => registerModel({ ...valid, inputPerMTok: -1 })).toThrow(
      /inputPerMTok must be a finite number >= 0/,
    );
    expect(() => registerModel({ ...valid, outputPerMTok: Number.POSITIVE_INFINITY })).toThrow(
      /outputPerMTok/,
    );
    expect(() => registerModel({ ...valid, outputPerMTok: '1' as unknown as number })).toThrow(RangeError);
    expect(() => registerModel({ ...valid, contextWindow: 0 })).toThrow(/contextWindow/);
    expect(() => registerModel({ ...valid, encoding: 'p50k_base' as 'o200k_base' })).toThrow(/encoding/);
    expect(() => registerModel(null as unknown as ModelDefinition)).toThrow(TypeError);
  });

  it('counts a custom model exactly when it names an encoding', async () => {
    const text = 'Custom models can be counted exactly: ſ’s too.';
    expect(tokenCountSource('acme-chat')).toBe('estimated');
    register({ id: 'acme-chat', inputPerMTok: 1, outputPerMTok: 1, encoding: 'cl100k_base' });
    expect(encodingForModel('acme-chat')).toBe('cl100k_base');
    expect(tokenCountSource('acme-chat')).toBe('counted');
    expect(await countTokens(text, 'acme-chat')).toBe(await countTokens(text, 'gpt-4'));

    register({ id: 'claude-custom', inputPerMTok: 1, outputPerMTok: 1, encoding: 'o200k_base' });
    expect(encodingForModel('claude-custom')).toBe('o200k_base');
  });
});
