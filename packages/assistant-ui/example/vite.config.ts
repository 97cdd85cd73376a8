import { defaultClientConditions, defineConfig } from 'vite';

// The example runs against the packages' TypeScript source ("@ai-session-manager/source" condition).
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['@ai-session-manager/source', ...defaultClientConditions] },
  // Core's tokenizer worker imports its ranks lazily: an ES worker keeps them in their own chunks.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
