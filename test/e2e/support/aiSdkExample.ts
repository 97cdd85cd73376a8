import { fileURLToPath } from 'node:url';
import { type PreviewServer, previewBuild } from './previewBuild';

/** packages/ai-sdk/example: useChat through useSessionChat, with an offline model transport. */
const CONFIG = fileURLToPath(new URL('../../../packages/ai-sdk/example/vite.config.ts', import.meta.url));

export type ExampleServer = PreviewServer;

/** Build the AI SDK example with its own Vite config and serve it (see previewBuild). */
export function startAiSdkExample(): Promise<ExampleServer> {
  return previewBuild('ai-sdk-example', { configFile: CONFIG, logLevel: 'silent' });
}
