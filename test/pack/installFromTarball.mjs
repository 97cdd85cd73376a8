// The path a user takes: pack every package (built dist/), install the tarballs with npm in a
// directory outside the workspace next to the real peer libraries, then
//   (a) import core and the AI SDK adapter in plain Node and record a conversation,
//   (b) type-check a consumer under `nodenext` and under `bundler` with skipLibCheck off,
//   (c) build a Vite app with the AI SDK adapter and drive it in Chromium: send, stream, reload.
// Each tarball is also checked with publint and @arethetypeswrong/cli (ESM-only profile).
// Run after `pnpm build`: `pnpm test:pack`. Exits 1 on any failure.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const PACKAGES = ['core', 'react', 'ai-sdk', 'assistant-ui', 'tanstack-ai'];
const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** Peer libraries at the versions the workspace tests against. */
const pinned = (name) => rootManifest.devDependencies[name];
const demoManifest = JSON.parse(readFileSync(join(ROOT, 'apps/demo/package.json'), 'utf8'));

const work = mkdtempSync(join(tmpdir(), 'asm-tarballs-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
const results = [];
const step = async (name, fn) => {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n${error?.stdout ?? ''}${error?.stack ?? error}`);
  }
};

const tarballs = {};
await step('pack every package', () => {
  const dest = join(work, 'tarballs');
  mkdirSync(dest);
  for (const pkg of PACKAGES) {
    run('npx', ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', dest], join(ROOT, 'packages', pkg));
  }
  for (const file of readdirSync(dest)) {
    const pkg = PACKAGES.find(
      (p) =>
        file ===
        `ai-session-manager-${p}-${JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')).version}.tgz`,
    );
    if (pkg) tarballs[`@ai-session-manager/${pkg}`] = `file:${join(dest, file)}`;
  }
  if (Object.keys(tarballs).length !== PACKAGES.length)
    throw new Error(`packed ${readdirSync(dest).join(', ')}`);
});

for (const [name, spec] of Object.entries(tarballs)) {
  const tarball = spec.slice('file:'.length);
  await step(`${name} ships dist, README, LICENSE; no sources, scripts or dev dependencies`, () => {
    const listing = run('tar', ['-tzf', tarball], ROOT).split('\n').filter(Boolean);
    for (const needed of ['package/README.md', 'package/LICENSE', 'package/package.json']) {
      if (!listing.includes(needed)) throw new Error(`${needed} missing from ${tarball}`);
    }
    const stray = listing.filter(
      (f) => !/^package\/(dist\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f),
    );
    if (stray.length) throw new Error(`unexpected files: ${stray.join(', ')}`);
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], ROOT));
    for (const field of ['scripts', 'devDependencies'])
      if (manifest[field]) throw new Error(`manifest has ${field}`);
    for (const field of ['engines', 'repository', 'license'])
      if (!manifest[field]) throw new Error(`manifest lacks ${field}`);
    if (JSON.stringify(manifest.exports).includes('src/')) throw new Error('exports point at src/');
  });
  await step(`publint --strict ${name}`, () => {
    run(join(ROOT, 'node_modules/.bin/publint'), ['--strict', tarball], ROOT);
  });
  await step(`attw --profile esm-only ${name}`, () => {
    run(join(ROOT, 'node_modules/.bin/attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], ROOT);
  });
}

const app = join(work, 'app');
await step('npm install the tarballs with the real peers', () => {
  mkdirSync(app);
  const peers = [
    'react',
    'react-dom',
    'ai',
    '@ai-sdk/react',
    'zod',
    '@assistant-ui/react',
    '@tanstack/ai',
    '@tanstack/ai-client',
    '@tanstack/ai-react',
  ];
  const dev = ['typescript', 'vite', '@types/react', '@types/react-dom', '@types/node'];
  const manifest = {
    name: 'tarball-consumer',
    private: true,
    type: 'module',
    dependencies: { ...tarballs, ...Object.fromEntries(peers.map((p) => [p, pinned(p)])) },
    devDependencies: {
      ...Object.fromEntries(dev.map((p) => [p, pinned(p)])),
      '@vitejs/plugin-react': demoManifest.devDependencies['@vitejs/plugin-react'],
    },
  };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
});

await step('plain Node imports core and ai-sdk and records a conversation', () => {
  cpSync(join(ROOT, 'test/pack/consumer/node-check.mjs'), join(app, 'node-check.mjs'));
  process.stdout.write(run('node', ['node-check.mjs'], app));
});

for (const resolution of ['nodenext', 'bundler']) {
  await step(`tsc --moduleResolution ${resolution}, skipLibCheck false`, () => {
    const dir = join(app, `types-${resolution}`);
    mkdirSync(dir);
    cpSync(join(ROOT, 'test/pack/consumer/consumer.ts'), join(dir, 'consumer.ts'));
    const compilerOptions = {
      module: resolution === 'nodenext' ? 'nodenext' : 'esnext',
      moduleResolution: resolution,
      target: 'es2022',
      lib: ['es2023', 'dom', 'dom.iterable'],
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      // The AI SDK's and Radix's own declarations name Node's types, as in any app that has them.
      types: ['node'],
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    run(join(app, 'node_modules/.bin/tsc'), ['-p', dir], app);
  });
}

await step('Vite app with the AI SDK adapter: send, stream, reload in Chromium', async () => {
  const site = join(app, 'site');
  cpSync(join(ROOT, 'packages/ai-sdk/example'), site, { recursive: true });
  // The example's own config points at the workspace sources; a user's config is plain.
  writeFileSync(
    join(site, 'vite.config.ts'),
    "import react from '@vitejs/plugin-react';\nimport { defineConfig } from 'vite';\n" +
      'export default defineConfig({ root: import.meta.dirname, plugins: [react()], worker: { format: "es" } });\n',
  );
  run(
    join(app, 'node_modules/.bin/vite'),
    ['build', '--config', join(site, 'vite.config.ts'), '--logLevel', 'error'],
    app,
  );
  const port = 4790;
  const server = spawn(
    join(app, 'node_modules/.bin/vite'),
    [
      'preview',
      '--config',
      join(site, 'vite.config.ts'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: app, stdio: 'ignore', detached: true },
  );
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const page = await browser.newPage();
    for (let i = 0; ; i++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/`);
        break;
      } catch (error) {
        if (i > 50) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await page.getByTestId('composer-input').fill('Tell me a story');
    await page.getByTestId('composer-send').click();
    // Streaming: the reply shows part of its text before it is finished.
    await page.waitForFunction(() => {
      const texts = [...document.querySelectorAll('[data-role="assistant"] [data-testid="message-text"]')];
      return (
        texts.some((t) => (t.textContent ?? '').length > 0) &&
        document.querySelector('[data-status="streaming"]')
      );
    });
    await page.waitForSelector('[data-status="ready"]', { timeout: 20_000 });
    const before = await page.getByTestId('message').allTextContents();
    await page.reload();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="message"]').length === n,
      before.length,
    );
    const after = await page.getByTestId('message').allTextContents();
    if (JSON.stringify(after) !== JSON.stringify(before))
      throw new Error(`after reload ${JSON.stringify(after)} != ${JSON.stringify(before)}`);
    if (!after.some((t) => t.includes('Once upon a time')))
      throw new Error(`no streamed story in ${JSON.stringify(after)}`);
  } finally {
    await browser.close();
    process.kill(-server.pid);
  }
});

rmSync(work, { recursive: true, force: true });
const failed = results.filter((r) => !r.ok).length;
console.log(`tarball install: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
