// Which published image rule a model follows, and with which figures: OpenAI's tiles or patches
// by model, Anthropic's tier by Claude version, Gemini's tiles or its Gemini 3 budget.
import type { AnthropicTier, OpenAIPatches, OpenAITiles } from './imageTokenRules.ts';
import { bareModelName } from './modelId.ts';

/** OpenAI's `detail` of an image; 'original' exists on gpt-5.4 and later, 'auto' elsewhere. */
export type ImageDetail = 'low' | 'high' | 'auto' | 'original';

// https://ai.google.dev/gemini-api/docs/media-resolution
/** Gemini 3 bills an image at its `media_resolution` budget: 1,120 tokens at the default (high). */
export const GEMINI_3_IMAGE = 1120;

export type PatchSizing = Record<'low' | 'high' | 'original', OpenAIPatches> & { auto: 'high' | 'original' };
/** The rule one model's images follow, with its figures. */
export type ImageRule =
  | { kind: 'openai-tiles'; tiles: OpenAITiles }
  | { kind: 'openai-patches'; sizing: PatchSizing; multiplier: number }
  | { kind: 'anthropic'; tier: AnthropicTier }
  | { kind: 'gemini'; fixed?: number }
  | { kind: 'estimate'; tier: AnthropicTier };

// https://developers.openai.com/api/docs/guides/images-vision#model-sizing-behavior
const GPT_5_6: PatchSizing = {
  low: { maxSide: 512 },
  high: { maxSide: 2048, budget: 2500 },
  original: { maxSide: 65535 },
  auto: 'original',
};
const GPT_5_5: PatchSizing = { ...GPT_5_6, original: { maxSide: 6000, budget: 10000 } };
const GPT_5_4: PatchSizing = { ...GPT_5_5, low: { maxSide: 2048, budget: 6144 }, auto: 'high' };
/** One sizing whatever the detail: a 2048-px limit and `budget` patches ('original' unsupported). */
const ONE_SIZE = (budget: number): PatchSizing => {
  const all = { maxSide: 2048, budget };
  return { low: all, high: all, original: all, auto: 'high' };
};
// The deprecated patch models are no longer in the sizing table; the page's earlier edition gave
// them "up to 1,536 patches or 2048 max dimension".
const DEPRECATED_PATCHES = ONE_SIZE(1536);

const patches = (sizing: PatchSizing, multiplier: number): ImageRule => ({
  kind: 'openai-patches',
  sizing,
  multiplier,
});
const tiles = (base: number, tile: number): ImageRule => ({ kind: 'openai-tiles', tiles: { base, tile } });

/** OpenAI models by bare name, first match wins; multipliers and base/tile tokens from the page above. */
const OPENAI: ReadonlyArray<readonly [RegExp, ImageRule]> = [
  [/^gpt-5\.6/, patches(GPT_5_6, 1.2)],
  [/^gpt-5\.5/, patches(GPT_5_5, 1.2)],
  [/^gpt-5\.4/, patches(GPT_5_4, 1.2)],
  [/^gpt-5\.2/, patches(ONE_SIZE(6144), 1.2)],
  [/^gpt-5\.1(?!-codex-mini)/, tiles(70, 140)],
  [/^gpt-5-mini/, patches(DEPRECATED_PATCHES, 1.2)],
  [/^gpt-5-nano/, patches(DEPRECATED_PATCHES, 1.5)],
  [/^gpt-5(?:-chat-latest|-\d{4}-\d\d-\d\d)?$/, tiles(70, 140)],
  [/^gpt-4\.1-mini/, patches(ONE_SIZE(6144), 1.62)],
  [/^gpt-4\.1-nano/, patches(DEPRECATED_PATCHES, 2.46)],
  [/^gpt-4\.1/, tiles(85, 170)],
  [/^gpt-4\.5/, tiles(85, 170)],
  [/^gpt-4o-mini/, tiles(2833, 5667)],
  [/^(?:chatgpt-4o|gpt-4o)/, tiles(85, 170)],
  [/^o4-mini/, patches(DEPRECATED_PATCHES, 1.72)],
  [/^o[13](?:-pro)?(?:-\d{4}-\d\d-\d\d)?$/, tiles(75, 150)],
  [/^computer-use-preview/, tiles(65, 129)],
];

// https://platform.claude.com/docs/en/build-with-claude/vision#resolution-and-token-cost
const CLAUDE_STANDARD: AnthropicTier = { maxEdge: 1568, maxTokens: 1568 };
/** "Claude 4.7 and later models" (Opus 4.7, Opus 4.8, Sonnet 5, Fable 5, Mythos 5…). */
const CLAUDE_HIGH_RESOLUTION: AnthropicTier = { maxEdge: 2576, maxTokens: 4784 };

/**
 * The image rule of `model` by its bare name: OpenAI models by the table above, `claude-*` by
 * tier, `gemini-*` by generation, anything else Anthropic's standard tier as an estimate.
 */
export function imageRuleFor(model: string): ImageRule {
  const name = bareModelName(model);
  for (const [pattern, rule] of OPENAI) if (pattern.test(name)) return rule;
  if (name.includes('claude')) {
    // claude-opus-4-7, claude-sonnet-4-20250514 (4.0), claude-3-5-sonnet-20241022 (3.5), claude-opus-4.7
    const m = /claude-(?:(\d+)(?:[-.](\d))?-[a-z]|[a-z]+-(\d+)(?:[-.](\d{1,2}))?(?!\d))/.exec(name);
    const major = Number(m?.[1] ?? m?.[3] ?? 0);
    const minor = Number(m?.[2] ?? m?.[4] ?? 0);
    const high = major > 4 || (major === 4 && minor >= 7);
    return { kind: 'anthropic', tier: high ? CLAUDE_HIGH_RESOLUTION : CLAUDE_STANDARD };
  }
  if (name.includes('gemini')) {
    const major = Number(/gemini-(\d+)/.exec(name)?.[1] ?? 3);
    return major >= 3 ? { kind: 'gemini', fixed: GEMINI_3_IMAGE } : { kind: 'gemini' };
  }
  return { kind: 'estimate', tier: CLAUDE_STANDARD };
}

/** The patch sizing of `detail` ('auto' is the model's default, 'original' where it exists). */
export function patchSizing(rule: { sizing: PatchSizing }, detail: ImageDetail): OpenAIPatches {
  return rule.sizing[detail === 'auto' ? rule.sizing.auto : detail];
}
