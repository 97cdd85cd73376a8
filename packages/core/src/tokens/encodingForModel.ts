import { getRegisteredModel } from '../pricing/modelRegistry.ts';
import { bareModelName } from './modelId.ts';
import type { TokenEncoding } from './tokenEncoding.ts';

// Mirrors tiktoken's model table (tiktoken/model.py). gpt-oss uses o200k_harmony, whose
// ordinary-text tokens are exactly o200k_base's (same ranks and pattern).
const O200K = /^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|chatgpt-4o|o[134](?:$|-))/;
const CL100K =
  /^(?:gpt-4(?:$|-)|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002|davinci-002|babbage-002)/;

/**
 * The encoding that counts `model` exactly, or `null` when the model's own tokenizer is not
 * available (Claude, Gemini, Llama, Mistral, unknown): those counts are estimated.
 * A model registered with `registerModel({ encoding })` uses that encoding.
 */
export function encodingForModel(model: string): TokenEncoding | null {
  const registered = getRegisteredModel(model)?.encoding;
  if (registered) return registered;
  const name = bareModelName(model);
  if (O200K.test(name)) return 'o200k_base';
  if (CL100K.test(name)) return 'cl100k_base';
  return null;
}

/** Whether counts for `model` equal OpenAI's tokenizer (`counted`) or are an estimate. */
export function tokenCountSource(model: string): 'counted' | 'estimated' {
  return encodingForModel(model) ? 'counted' : 'estimated';
}
