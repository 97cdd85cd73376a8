// Real text for the token benchmarks, available offline on every clone after `pnpm install`:
// the markdown documentation that installed packages ship (READMEs, changelogs, guides).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every *.md file under node_modules/.pnpm, sorted by path so the corpus is stable per lockfile. */
function markdownFiles(root) {
  const store = join(root, 'node_modules', '.pnpm');
  return readdirSync(store, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .map((path) => ({ path, rel: relative(store, path) }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * `corpus`: the first files, concatenated, cut at a line end near `corpusBytes` (UTF-8).
 * `messages`: `messageCount` chat-sized texts (paragraphs merged until 300 characters, at most 1,500) from
 * the remaining files, so that they are text the counters have not seen in the corpus.
 */
export function loadCorpus(root, { corpusBytes = 1_000_000, messageCount = 1000 } = {}) {
  const files = markdownFiles(root);
  let corpus = '';
  let used = 0;
  let index = 0;
  for (; index < files.length && Buffer.byteLength(corpus) < corpusBytes; index++) {
    corpus += `${readFileSync(files[index].path, 'utf8')}\n`;
    used++;
  }
  while (Buffer.byteLength(corpus) > corpusBytes) {
    let cut = corpus.lastIndexOf(
      '\n',
      corpus.length - Math.max(1, (Buffer.byteLength(corpus) - corpusBytes) >> 1),
    );
    // A few bytes over with multi-byte characters: that search can find the final newline, which
    // cuts nothing (the --quick corpus looped forever); cut before it instead.
    if (cut + 1 >= corpus.length) cut = corpus.lastIndexOf('\n', corpus.length - 2);
    corpus = corpus.slice(0, cut + 1);
  }

  const messages = [];
  let current = '';
  const flush = () => {
    if (current.length >= 200) messages.push(current);
    current = '';
  };
  for (; index < files.length && messages.length < messageCount; index++) {
    const paragraphs = readFileSync(files[index].path, 'utf8').split(/\n\s*\n/);
    for (const paragraph of paragraphs) {
      const text = paragraph.trim();
      if (!text) continue;
      current = current ? `${current}\n\n${text}` : text;
      if (current.length >= 300) {
        current = current.slice(0, 1500);
        flush();
      }
      if (messages.length >= messageCount) break;
    }
    flush();
  }
  if (messages.length < messageCount) {
    throw new Error(
      `corpus: only ${messages.length} messages from ${files.length} markdown files; run pnpm install`,
    );
  }
  return { corpus, messages, files: used, bytes: Buffer.byteLength(corpus) };
}
