// Structural copies of the Vercel AI SDK (v5+) UIMessage types toUIMessages produces, so core needs
// no `ai` dependency. Kept assignable to the SDK's own `UIMessage` (checked in test/core/interop/sdkTypes).

export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };
/** Provider-specific fields by provider name (the SDK's ProviderMetadata). */
export type UIProviderMetadata = Record<string, { [key: string]: JsonValue }>;

/** `state` as the AI SDK sets it on assistant text: stored replies are finished, so 'done'. */
export type UITextPart = {
  type: 'text';
  text: string;
  state?: 'streaming' | 'done';
  providerMetadata?: UIProviderMetadata;
};
export type UIReasoningPart = {
  type: 'reasoning';
  id?: string;
  text: string;
  state?: 'streaming' | 'done';
  providerMetadata?: UIProviderMetadata;
};
export type UIFilePart = {
  type: 'file';
  mediaType: string;
  filename?: string;
  url: string;
  providerMetadata?: UIProviderMetadata;
};
export type UISourceUrlPart = {
  type: 'source-url';
  sourceId: string;
  url: string;
  title?: string;
  providerMetadata?: UIProviderMetadata;
};
export type UISourceDocumentPart = {
  type: 'source-document';
  sourceId: string;
  mediaType: string;
  title: string;
  filename?: string;
  providerMetadata?: UIProviderMetadata;
};
export type UIDataPart = { type: `data-${string}`; id?: string; data: unknown };
export type UIStepStartPart = { type: 'step-start' };

type Approval = { id: string; reason?: string; signature?: string };
type CallFields = {
  toolCallId: string;
  title?: string;
  providerExecuted?: boolean;
  callProviderMetadata?: UIProviderMetadata;
};
/** A tool call in each state the SDK has, as stored. */
export type UIToolState = CallFields &
  (
    | { state: 'input-streaming'; input?: unknown; rawInput?: string }
    | { state: 'input-available'; input: unknown }
    | { state: 'approval-requested'; input: unknown; approval: { id: string; signature?: string } }
    | { state: 'approval-responded'; input: unknown; approval: Approval & { approved: boolean } }
    | {
        state: 'output-available';
        input: unknown;
        output: unknown;
        preliminary?: boolean;
        resultProviderMetadata?: UIProviderMetadata;
        approval?: Approval & { approved: true };
      }
    | {
        state: 'output-error';
        input: unknown;
        errorText: string;
        resultProviderMetadata?: UIProviderMetadata;
        approval?: Approval & { approved: true };
      }
    | { state: 'output-denied'; input: unknown; approval: Approval & { approved: false } }
  );
export type UIToolPart = { type: `tool-${string}` } & UIToolState;
/** A tool the app did not declare up front (e.g. from an MCP server), as the AI SDK marks it. */
export type UIDynamicToolPart = { type: 'dynamic-tool'; toolName: string } & UIToolState;

export type UIMessagePart =
  | UITextPart
  | UIReasoningPart
  | UIFilePart
  | UISourceUrlPart
  | UISourceDocumentPart
  | UIDataPart
  | UIStepStartPart
  | UIToolPart
  | UIDynamicToolPart;

export interface UIMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  metadata?: unknown;
  parts: UIMessagePart[];
}
