import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// Workspace packages resolve to their TypeScript source through the "@ai-session-manager/source" export condition,
// so the demo runs against the packages as they are, with no build step.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@ai-session-manager/source', ...defaultClientConditions] },
  // Core's tokenizer worker imports the ranks lazily: an ES worker keeps each in its own chunk
  // (Vite's default, IIFE, would inline both encodings' ranks into the worker).
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The tokenizer's ranks are big, lazily loaded chunks: expected, not a warning.
    chunkSizeWarningLimit: 8000,
  },
});
