// assistant-ui's thread list runtime over the store, as its README shows.
import { useSessionThreadListRuntime } from '@ai-session-manager/assistant-ui';
import { AssistantRuntimeProvider, type ChatModelAdapter } from '@assistant-ui/react';
import type { ReactNode } from 'react';

export function App({ chatModel, children }: { chatModel: ChatModelAdapter; children: ReactNode }) {
  const runtime = useSessionThreadListRuntime({ chatModel });
  return <AssistantRuntimeProvider runtime={runtime}>{children}</AssistantRuntimeProvider>;
}
