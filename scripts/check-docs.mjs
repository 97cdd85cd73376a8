// Type-checks every ```ts and ```tsx block of the docs (README.md, docs/*.md,
// packages/*/README.md) against the workspace sources, so no snippet uses a name
// that does not exist. Each block is written out as a module of its own and all of
// them go through one TypeScript program; errors are reported at the block's
// line in its Markdown file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function markdownFiles() {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) files.push(`docs/${name}`);
  for (const name of readdirSync(join(root, 'packages'))) {
    try {
      readFileSync(join(root, 'packages', name, 'README.md'));
      files.push(`packages/${name}/README.md`);
    } catch {
      // a package without a README has no snippets
    }
  }
  return files;
}

/** Fenced ```ts / ```tsx blocks with the Markdown line their code starts on (1-based). */
function extractBlocks(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks = [];
  let open = null;
  lines.forEach((line, index) => {
    const fence = /^(\s*)(`{3,})\s*([\w-]*)/.exec(line);
    if (!open) {
      if (fence && (fence[3] === 'ts' || fence[3] === 'tsx')) {
        open = { file, language: fence[3], startLine: index + 2, indent: fence[1].length, fence: fence[2], code: [] };
      }
      return;
    }
    if (fence && fence[2] === open.fence && line.trim() === open.fence) {
      blocks.push(open);
      open = null;
      return;
    }
    open.code.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
  });
  if (open) throw new Error(`${file}:${open.startLine - 1}: code block never closed`);
  return blocks;
}

// Inside the repository, so snippets resolve the workspace packages and peers from its node_modules.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const outDir = mkdtempSync(join(root, 'node_modules', '.cache', 'check-docs-'));

const blocks = markdownFiles().flatMap(extractBlocks);
const byPath = new Map();
blocks.forEach((block, index) => {
  const path = join(outDir, `block${String(index).padStart(3, '0')}.${block.language}`);
  writeFileSync(path, `${block.code.join('\n')}\n`);
  byPath.set(path, block);
});

const base = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
if (base.error) throw new Error(ts.flattenDiagnosticMessageText(base.error.messageText, '\n'));
const { options } = ts.parseJsonConfigFileContent(
  {
    compilerOptions: {
      ...base.config.compilerOptions,
      // Browser snippets: no test globals; node for server-route examples.
      types: ['node'],
      // Every block is its own module, with or without imports.
      moduleDetection: 'force',
      noEmit: true,
    },
  },
  ts.sys,
  root,
);

const program = ts.createProgram([...byPath.keys()], options);
const diagnostics = ts.getPreEmitDiagnostics(program);

let errors = 0;
for (const diagnostic of diagnostics) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const block = diagnostic.file ? byPath.get(resolve(diagnostic.file.fileName)) : undefined;
  if (!diagnostic.file || diagnostic.start === undefined) {
    console.error(`error TS${diagnostic.code}: ${message}`);
  } else if (block) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    console.error(`${block.file}:${block.startLine + line}:${character + 1 + block.indent} TS${diagnostic.code}: ${message}`);
  } else {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    console.error(`${relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1} TS${diagnostic.code}: ${message}`);
  }
  errors += 1;
}

rmSync(outDir, { recursive: true, force: true });
const files = new Set(blocks.map((block) => block.file)).size;
if (errors > 0) {
  console.error(`\n${errors} error(s) in ${blocks.length} code blocks of ${files} files`);
  process.exit(1);
}
console.log(`${blocks.length} code blocks in ${files} files type-check`);
