import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildEnvironmentOptions, build, type InlineConfig, preview } from 'vite';
import { freePort } from './viteServer';

export interface PreviewServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Build a page with Vite (`config`, plus `buildOptions`) into a temporary directory named after
 * `name`, and serve it with `vite preview` on 127.0.0.1 and a free port. stop() closes the server
 * and removes the build.
 */
export async function previewBuild(
  name: string,
  config: InlineConfig,
  buildOptions: BuildEnvironmentOptions = {},
): Promise<PreviewServer> {
  const outDir = mkdtempSync(join(tmpdir(), `asm-${name}-`));
  try {
    await build({ ...config, build: { ...buildOptions, outDir, emptyOutDir: true } });
    const port = await freePort();
    const server = await preview({
      ...config,
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true },
    });
    return {
      url: `http://127.0.0.1:${port}/`,
      async stop() {
        await server.close();
        rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}
