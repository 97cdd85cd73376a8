import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { freePort } from './viteServer';

/** packages/ai-sdk/example: useChat through useSessionChat, with an offline model transport. */
const CONFIG = fileURLToPath(new URL('../../../packages/ai-sdk/example/vite.config.ts', import.meta.url));

export interface ExampleServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Build the AI SDK example with its own Vite config into a temporary directory and serve it
 * with `vite preview` on 127.0.0.1 and a free port. stop() closes the server and removes the build.
 */
export async function startAiSdkExample(): Promise<ExampleServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'asm-ai-sdk-example-'));
  try {
    await build({ configFile: CONFIG, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const port = await freePort();
    const server = await preview({
      configFile: CONFIG,
      logLevel: 'silent',
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
