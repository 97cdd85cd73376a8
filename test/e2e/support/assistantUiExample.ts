import { fileURLToPath } from 'node:url';
import { type PreviewServer, previewBuild } from './previewBuild';

/** packages/assistant-ui/example: assistant-ui's primitives and thread list over the store, with an offline model. */
const CONFIG = fileURLToPath(
  new URL('../../../packages/assistant-ui/example/vite.config.ts', import.meta.url),
);

export type ExampleServer = PreviewServer;

/** Build the assistant-ui example with its own Vite config and serve it (see previewBuild). */
export function startAssistantUiExample(): Promise<ExampleServer> {
  return previewBuild('assistant-ui-example', { configFile: CONFIG, logLevel: 'silent' });
}
