/**
 * The bare, lower-case model name used to pick a tokenizer: `openai/gpt-4o` and
 * `openrouter/openai/gpt-4o` become `gpt-4o`, and a fine-tune id such as
 * `ft:gpt-4o-mini:acme::abc123` becomes its base model `gpt-4o-mini`.
 */
export function bareModelName(model: string): string {
  let name = model.trim().toLowerCase();
  name = name.slice(name.lastIndexOf('/') + 1);
  if (name.startsWith('ft:')) name = name.slice(3).split(':')[0] ?? '';
  return name;
}
