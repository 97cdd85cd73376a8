import { fileURLToPath } from 'node:url';
import { type PreviewServer, previewBuild } from './previewBuild';

/** packages/tanstack-ai/example: TanStack AI's useChat with sessionPersistence and an offline model connection. */
const CONFIG = fileURLToPath(
  new URL('../../../packages/tanstack-ai/example/vite.config.ts', import.meta.url),
);

export type ExampleServer = PreviewServer;

/** Build the TanStack AI example with its own Vite config and serve it (see previewBuild). */
export function startTanstackAiExample(): Promise<ExampleServer> {
  return previewBuild('tanstack-ai-example', { configFile: CONFIG, logLevel: 'silent' });
}
