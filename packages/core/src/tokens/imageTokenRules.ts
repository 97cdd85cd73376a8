// The providers' published rules for the tokens of one image, as pure geometry: a size in pixels
// in, a token count out. Which model follows which rule, and with which figures, is mediaTokens.ts.
import type { ImageSize } from './imageSize.ts';

/** OpenAI's tile rule: base tokens plus tokens per 512-px tile of the scaled image. */
export interface OpenAITiles {
  base: number;
  tile: number;
}

/** OpenAI's patch rule for one detail level: fit in `maxSide`, then at most `budget` 32-px patches. */
export interface OpenAIPatches {
  maxSide: number;
  /** No budget: the patches of the fitted image, up to the 30,000 the API accepts. */
  budget?: number;
}

/** Anthropic's tier: the long-edge limit and the visual-token (28-px patch) limit. */
export interface AnthropicTier {
  maxEdge: number;
  maxTokens: number;
}

/** Most patches OpenAI accepts in one image; a larger one is rejected, not resized. */
export const OPENAI_MAX_PATCHES = 30_000;

// Float products such as 2048 × 0.78125 / 32 should floor to 50, not to 49.
const EPSILON = 1e-9;
const floor = (x: number): number => Math.floor(x + EPSILON);

/** Scaled down (never up) so that neither side exceeds `maxSide`; sides stay whole pixels, ≥ 1. */
function fitWithin(size: ImageSize, maxSide: number): ImageSize {
  const scale = Math.min(1, maxSide / Math.max(size.width, size.height));
  if (scale === 1) return size;
  return { width: Math.max(1, floor(size.width * scale)), height: Math.max(1, floor(size.height * scale)) };
}

// https://developers.openai.com/api/docs/guides/images-vision#tile-based-image-tokenization
/** Fit in 2048 × 2048, shortest side down to 768, then `base` + `tile` per 512-px square. */
export function openAITileTokens(size: ImageSize, rule: OpenAITiles): number {
  let { width, height } = fitWithin(size, 2048);
  const shortest = Math.min(width, height);
  if (shortest > 768) {
    width = Math.max(1, floor((width * 768) / shortest));
    height = Math.max(1, floor((height * 768) / shortest));
  }
  return rule.base + rule.tile * Math.ceil(width / 512) * Math.ceil(height / 512);
}

/** The most an image can cost under the tile rule: 2 × 4 tiles (768 × 2048). */
export function openAITileCap(rule: OpenAITiles): number {
  return rule.base + rule.tile * 8;
}

// https://developers.openai.com/api/docs/guides/images-vision#patch-based-image-tokenization
/**
 * 32-px patches of the image fitted in `maxSide`; over `budget`, scaled by
 * sqrt(32² × budget / (w × h)), adjusted so whole patches cover it; then × `multiplier`, rounded up.
 */
export function openAIPatchTokens(size: ImageSize, rule: OpenAIPatches, multiplier: number): number {
  const fitted = fitWithin(size, rule.maxSide);
  let patches = patchCount(fitted.width, fitted.height, 32);
  if (rule.budget !== undefined && patches > rule.budget) {
    const { width, height } = fitted;
    const shrink = Math.sqrt((32 * 32 * rule.budget) / (width * height));
    const across = (width * shrink) / 32;
    const down = (height * shrink) / 32;
    const adjusted = shrink * Math.min(floor(across) / across, floor(down) / down);
    patches = Math.min(rule.budget, patchCount(floor(width * adjusted), floor(height * adjusted), 32));
  }
  return Math.ceil(Math.min(patches, OPENAI_MAX_PATCHES) * multiplier - EPSILON);
}

/** The most an image can cost under a patch rule: the budget, or the patches of a `maxSide` square. */
export function openAIPatchCap(rule: OpenAIPatches, multiplier: number): number {
  const square = Math.ceil(rule.maxSide / 32) ** 2;
  const patches = Math.min(rule.budget ?? OPENAI_MAX_PATCHES, square, OPENAI_MAX_PATCHES);
  return Math.ceil(patches * multiplier - EPSILON);
}

// https://platform.claude.com/docs/en/build-with-claude/vision#resolution-and-token-cost and
// https://platform.claude.com/docs/en/build-with-claude/vision-coordinates#how-claude-resizes-and-pads-images
/**
 * ⌈w / 28⌉ × ⌈h / 28⌉ visual tokens of the image as Claude resizes it: the largest
 * aspect-preserving size whose padded sides fit `maxEdge` and whose tokens fit `maxTokens`.
 */
export function anthropicTokens(size: ImageSize, tier: AnthropicTier): number {
  const { width, height } = claudeResized(size.width, size.height, tier);
  return patchCount(width, height, 28);
}

function claudeResized(width: number, height: number, tier: AnthropicTier): ImageSize {
  const fits = (w: number, h: number): boolean =>
    Math.ceil(w / 28) * 28 <= tier.maxEdge &&
    Math.ceil(h / 28) * 28 <= tier.maxEdge &&
    patchCount(w, h, 28) <= tier.maxTokens;
  if (fits(width, height)) return { width, height };
  if (height > width) {
    const turned = claudeResized(height, width, tier);
    return { width: turned.height, height: turned.width };
  }
  // The documented binary search along the long edge (Python's round: half to even).
  const aspect = width / height;
  const shortFor = (long: number): number => Math.max(roundHalfEven(long / aspect), 1);
  let lo = 1;
  let hi = width;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid, shortFor(mid))) lo = mid;
    else hi = mid;
  }
  return { width: lo, height: shortFor(lo) };
}

function roundHalfEven(x: number): number {
  const down = Math.floor(x);
  const fraction = x - down;
  if (fraction > 0.5) return down + 1;
  if (fraction < 0.5) return down;
  return down % 2 === 0 ? down : down + 1;
}

// https://ai.google.dev/gemini-api/docs/tokens#multimodal-tokens
/** Gemini 2: 258 tokens when both sides are ≤ 384 px, else 258 per 768 × 768 tile. */
export function geminiTileTokens(size: ImageSize): number {
  if (size.width <= 384 && size.height <= 384) return 258;
  return 258 * patchCount(size.width, size.height, 768);
}

function patchCount(width: number, height: number, side: number): number {
  return Math.ceil(width / side) * Math.ceil(height / side);
}
