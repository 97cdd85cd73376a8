// Images, documents and reasoning between our stored parts (AI SDK shapes) and the OpenAI Chat
// Completions / Anthropic Messages blocks, both ways. What a provider cannot take is left out of
// its request (never sent as plain text): reasoning to OpenAI, unsigned reasoning to Anthropic.
import {
  dataUrlParts,
  isFilePart,
  isImage,
  isReasoningPart,
  type MessagePart,
} from '../domain/messageParts.ts';
import { base64Bytes, bytesBase64 } from '../storage/fileBytes.ts';

export type OpenAIUserContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'file'; file: { file_data?: string; file_id?: string; filename?: string } }
  | { type: 'input_audio'; input_audio: { data: string; format: 'wav' | 'mp3' } };

type AnthropicImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
export type AnthropicImageBlock = {
  type: 'image';
  source: { type: 'base64'; media_type: AnthropicImageType; data: string } | { type: 'url'; url: string };
};
export type AnthropicDocumentBlock = {
  type: 'document';
  source:
    | { type: 'base64'; media_type: 'application/pdf'; data: string }
    | { type: 'text'; media_type: 'text/plain'; data: string }
    | { type: 'url'; url: string };
  title?: string;
};
type AnthropicUserBlock = { type: 'text'; text: string } | AnthropicImageBlock | AnthropicDocumentBlock;
export type AnthropicThinkingBlock = { type: 'thinking'; thinking: string; signature: string };
export type AnthropicRedactedThinkingBlock = { type: 'redacted_thinking'; data: string };

const ANTHROPIC_IMAGES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const DETAILS = new Set(['auto', 'low', 'high']);

function providerField(part: MessagePart, provider: string, key: string): unknown {
  const meta = part.providerMetadata as Record<string, Record<string, unknown>> | undefined;
  return meta?.[provider]?.[key];
}

/** A user message's parts as OpenAI content parts (text, images, files, audio), in order. */
export function openAIUserContent(parts: readonly MessagePart[]): OpenAIUserContentPart[] {
  return parts.flatMap((part): OpenAIUserContentPart[] => {
    if (part.type === 'text' && typeof part.text === 'string') return [{ type: 'text', text: part.text }];
    if (!isFilePart(part)) return [];
    const fileId = providerField(part, 'openai', 'fileId');
    if (typeof fileId === 'string') return [{ type: 'file', file: { file_id: fileId } }];
    const detail = providerField(part, 'openai', 'imageDetail');
    if (isImage(part.mediaType)) {
      const image: { url: string; detail?: 'auto' | 'low' | 'high' } = { url: part.url };
      if (typeof detail === 'string' && DETAILS.has(detail)) image.detail = detail as 'auto';
      return [{ type: 'image_url', image_url: image }];
    }
    const data = dataUrlParts(part.url);
    if (!data) return [];
    const audio = /^audio\/(wav|x-wav|mpeg|mp3)$/i.exec(part.mediaType);
    if (audio) {
      const format = /wav/i.test(audio[1]!) ? 'wav' : 'mp3';
      return [{ type: 'input_audio', input_audio: { data: data.base64, format } }];
    }
    return [
      { type: 'file', file: { file_data: part.url, ...(part.filename ? { filename: part.filename } : {}) } },
    ];
  });
}

/** OpenAI content parts as our parts: undefined when they hold nothing but text. */
export function partsFromOpenAIContent(content: unknown): MessagePart[] | undefined {
  if (!Array.isArray(content) || content.every((p) => p?.type === 'text')) return undefined;
  return content.flatMap((p): MessagePart[] => {
    if (p?.type === 'text' && typeof p.text === 'string') return [{ type: 'text', text: p.text }];
    if (p?.type === 'image_url' && typeof p.image_url?.url === 'string') {
      const url: string = p.image_url.url;
      const part: MessagePart = {
        type: 'file',
        mediaType: dataUrlParts(url)?.mediaType ?? imageTypeOf(url),
        url,
      };
      if (typeof p.image_url.detail === 'string')
        part.providerMetadata = { openai: { imageDetail: p.image_url.detail } };
      return [part];
    }
    if (p?.type === 'file' && p.file && typeof p.file === 'object') {
      if (typeof p.file.file_id === 'string')
        return [
          {
            type: 'file',
            mediaType: 'application/octet-stream',
            url: '',
            providerMetadata: { openai: { fileId: p.file.file_id } },
          },
        ];
      if (typeof p.file.file_data !== 'string') return [];
      const url = p.file.file_data.startsWith('data:')
        ? p.file.file_data
        : `data:application/pdf;base64,${p.file.file_data}`;
      const filename = typeof p.file.filename === 'string' ? { filename: p.file.filename } : {};
      return [{ type: 'file', mediaType: dataUrlParts(url)!.mediaType, ...filename, url }];
    }
    if (p?.type === 'input_audio' && typeof p.input_audio?.data === 'string') {
      const mediaType = p.input_audio.format === 'wav' ? 'audio/wav' : 'audio/mpeg';
      return [{ type: 'file', mediaType, url: `data:${mediaType};base64,${p.input_audio.data}` }];
    }
    return [];
  });
}

/** The media type a remote image URL names by its extension (image/* when it names none). */
function imageTypeOf(url: string): string {
  const ext = /\.(png|jpe?g|gif|webp)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return ext ? `image/${ext === 'jpg' ? 'jpeg' : ext}` : 'image/*';
}

/** A user message's parts as Anthropic blocks (text, images, PDFs and text documents), in order. */
export function anthropicUserBlocks(parts: readonly MessagePart[]): AnthropicUserBlock[] {
  return parts.flatMap((part): AnthropicUserBlock[] => {
    if (part.type === 'text' && typeof part.text === 'string')
      return part.text === '' ? [] : [{ type: 'text' as const, text: part.text }];
    if (!isFilePart(part)) return [];
    const data = dataUrlParts(part.url);
    const title = part.filename ? { title: part.filename } : {};
    if (isImage(part.mediaType)) {
      if (!data) return [{ type: 'image' as const, source: { type: 'url' as const, url: part.url } }];
      if (!ANTHROPIC_IMAGES.has(data.mediaType)) return [];
      const media_type = data.mediaType as AnthropicImageType;
      return [{ type: 'image' as const, source: { type: 'base64' as const, media_type, data: data.base64 } }];
    }
    if (part.mediaType === 'application/pdf') {
      const source = data
        ? { type: 'base64' as const, media_type: 'application/pdf' as const, data: data.base64 }
        : { type: 'url' as const, url: part.url };
      return [{ type: 'document' as const, source, ...title }];
    }
    if (part.mediaType === 'text/plain' && data) {
      const text = new TextDecoder().decode(base64Bytes(data.base64));
      return [
        {
          type: 'document' as const,
          source: { type: 'text' as const, media_type: 'text/plain' as const, data: text },
          ...title,
        },
      ];
    }
    return [];
  });
}

/** Signed reasoning as Anthropic thinking blocks (redacted ones as such): what a tool loop must send back. */
export function anthropicThinkingBlocks(
  parts: readonly MessagePart[],
): (AnthropicThinkingBlock | AnthropicRedactedThinkingBlock)[] {
  return parts.flatMap((part): (AnthropicThinkingBlock | AnthropicRedactedThinkingBlock)[] => {
    if (!isReasoningPart(part)) return [];
    const redacted = providerField(part, 'anthropic', 'redactedData');
    if (typeof redacted === 'string') return [{ type: 'redacted_thinking' as const, data: redacted }];
    const signature = providerField(part, 'anthropic', 'signature');
    if (typeof signature !== 'string') return [];
    return [{ type: 'thinking' as const, thinking: part.text, signature }];
  });
}

/** Anthropic blocks as our parts (images, documents, thinking; text kept in place): undefined for text alone. */
export function partsFromAnthropicBlocks(
  blocks: readonly { type: string; [key: string]: unknown }[],
): MessagePart[] | undefined {
  const kept = blocks.filter((b) => b.type !== 'tool_use' && b.type !== 'tool_result');
  if (kept.every((b) => b.type === 'text')) return undefined;
  return kept.flatMap((b): MessagePart[] => {
    if (b.type === 'text' && typeof b.text === 'string') return [{ type: 'text', text: b.text }];
    if (b.type === 'thinking' && typeof b.thinking === 'string') {
      const signature =
        typeof b.signature === 'string'
          ? { providerMetadata: { anthropic: { signature: b.signature } } }
          : {};
      return [{ type: 'reasoning', text: b.thinking, ...signature }];
    }
    if (b.type === 'redacted_thinking' && typeof b.data === 'string')
      return [{ type: 'reasoning', text: '', providerMetadata: { anthropic: { redactedData: b.data } } }];
    const source = b.source as Record<string, unknown> | undefined;
    if ((b.type !== 'image' && b.type !== 'document') || !source) return [];
    const title = typeof b.title === 'string' ? { filename: b.title } : {};
    if (source.type === 'url' && typeof source.url === 'string') {
      const mediaType = b.type === 'image' ? imageTypeOf(source.url) : 'application/pdf';
      return [{ type: 'file', mediaType, ...title, url: source.url }];
    }
    if (source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string')
      return [
        {
          type: 'file',
          mediaType: source.media_type,
          ...title,
          url: `data:${source.media_type};base64,${source.data}`,
        },
      ];
    if (source.type === 'text' && typeof source.data === 'string') {
      const base64 = bytesBase64(new TextEncoder().encode(source.data));
      return [{ type: 'file', mediaType: 'text/plain', ...title, url: `data:text/plain;base64,${base64}` }];
    }
    return [];
  });
}
