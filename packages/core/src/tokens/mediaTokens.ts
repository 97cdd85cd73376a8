// Context tokens of the images and PDFs in a message: each image by its provider's published rule
// for the model, from the pixel size read off its header, and never by the length of its base64.
import {
  dataUrlParts,
  type FilePart,
  isFilePart,
  isImage,
  type MessagePart,
} from '../domain/messageParts.ts';
import { dataUrlImageSize, type ImageSize } from './imageSize.ts';
import { type ImageDetail, imageRuleFor, patchSizing } from './imageModelRules.ts';
import {
  anthropicTokens,
  geminiTileTokens,
  openAIPatchCap,
  openAIPatchTokens,
  openAITileCap,
  openAITileTokens,
} from './imageTokenRules.ts';
import { pdfPageCount } from './pdfPages.ts';

/** Tokens of one image or document, whether they are the rule's exact count, and which rule gave them. */
export interface MediaTokens {
  tokens: number;
  /** True when the count is a guess: unknown model, unreadable or remote bytes, a PDF. */
  estimated: boolean;
  /** 'openai-tiles', 'openai-patches', 'anthropic', 'gemini', 'estimate' or 'pdf-pages'. */
  rule: string;
}

// https://platform.claude.com/docs/en/build-with-claude/pdf-support#estimate-your-costs
/**
 * Tokens per PDF page. Anthropic's PDF support page says each page "typically uses 1,500-3,000
 * tokens per page depending on content density" for its text, plus the page image at the image
 * rule, about 1,550 for a portrait page (its A4 example resizes to 924×1307 = 33 × 47 patches):
 * 1,500 + 1,550 at the light end, so 3,000 a page, marked as an estimate.
 */
export const PDF_TOKENS_PER_PAGE = 3000;

/** Gemini's tile rule has no largest image: an unreadable one is counted as 1536 × 1536 (4 tiles). */
const GEMINI_UNREADABLE_TILES = 4;

export type { ImageDetail };

/**
 * Context tokens of one image of `size` pixels sent to `model`, by the provider's published rule
 * for that model family (OpenAI tiles or patches, with `detail`; Anthropic's 28-px patches by
 * tier; Gemini's tiles or its Gemini 3 budget). An unknown model gets Anthropic's standard-tier
 * rule, marked estimated.
 */
export function imageTokens(size: ImageSize, model: string, detail: ImageDetail = 'auto'): MediaTokens {
  const rule = imageRuleFor(model);
  switch (rule.kind) {
    case 'openai-tiles': {
      const tokens = detail === 'low' ? rule.tiles.base : openAITileTokens(size, rule.tiles);
      return { tokens, estimated: false, rule: rule.kind };
    }
    case 'openai-patches':
      return {
        tokens: openAIPatchTokens(size, patchSizing(rule, detail), rule.multiplier),
        estimated: false,
        rule: rule.kind,
      };
    case 'anthropic':
      return { tokens: anthropicTokens(size, rule.tier), estimated: false, rule: rule.kind };
    case 'gemini':
      return rule.fixed !== undefined
        ? { tokens: rule.fixed, estimated: true, rule: rule.kind }
        : { tokens: geminiTileTokens(size), estimated: false, rule: rule.kind };
    case 'estimate':
      return { tokens: anthropicTokens(size, rule.tier), estimated: true, rule: rule.kind };
  }
}

/** The most one image can cost `model` (its rule's largest image), for an image whose size is unknown. */
export function largestImageTokens(model: string, detail: ImageDetail = 'auto'): MediaTokens {
  const rule = imageRuleFor(model);
  const tokens = (() => {
    switch (rule.kind) {
      case 'openai-tiles':
        return detail === 'low' ? rule.tiles.base : openAITileCap(rule.tiles);
      case 'openai-patches':
        return openAIPatchCap(patchSizing(rule, detail), rule.multiplier);
      case 'gemini':
        return rule.fixed ?? 258 * GEMINI_UNREADABLE_TILES;
      default:
        return rule.tier.maxTokens;
    }
  })();
  return { tokens, estimated: true, rule: rule.kind };
}

function imageDetail(part: FilePart): ImageDetail {
  const detail = part.providerMetadata?.openai?.imageDetail;
  return detail === 'low' || detail === 'high' || detail === 'auto' || detail === 'original'
    ? detail
    : 'auto';
}

/**
 * Context tokens of a file part sent to `model`: an image by its rule (its size read from a data
 * URL; a remote or unreadable image at the rule's largest image, estimated); a PDF data URL at
 * PDF_TOKENS_PER_PAGE a page object, estimated. Undefined for anything else, which is not sent
 * as media (and for a remote PDF, whose pages are unknown here).
 */
export function fileTokens(part: FilePart, model: string): MediaTokens | undefined {
  if (isImage(part.mediaType)) {
    const size = dataUrlImageSize(part.url);
    return size ? imageTokens(size, model, imageDetail(part)) : largestImageTokens(model, imageDetail(part));
  }
  if (/^application\/pdf$/i.test(part.mediaType)) {
    const base64 = dataUrlParts(part.url)?.base64;
    if (base64 === undefined) return undefined;
    const pages = Math.max(1, pdfPageCount(base64));
    return { tokens: pages * PDF_TOKENS_PER_PAGE, estimated: true, rule: 'pdf-pages' };
  }
  return undefined;
}

/** The media tokens of a message's parts: the sum of fileTokens over its file parts. */
export function partsMediaTokens(
  parts: readonly MessagePart[],
  model: string,
): { tokens: number; estimated: boolean } {
  let tokens = 0;
  let estimated = false;
  for (const part of parts) {
    if (!isFilePart(part)) continue;
    const media = fileTokens(part, model);
    if (!media) continue;
    tokens += media.tokens;
    estimated ||= media.estimated;
  }
  return { tokens, estimated };
}
