import {
  ActionBarPrimitive,
  BranchPickerPrimitive,
  ComposerPrimitive,
  MessagePrimitive,
  ThreadPrimitive,
} from '@assistant-ui/react';

/** The thread: messages (with edit, reload and a branch picker) and the composer. */
export function Thread() {
  return (
    <ThreadPrimitive.Root className="thread">
      <ThreadPrimitive.Viewport className="viewport">
        <ThreadPrimitive.Empty>
          <p className="empty">Send a message to start. Everything stays in this browser (IndexedDB).</p>
        </ThreadPrimitive.Empty>
        <ThreadPrimitive.Messages>
          {({ message }) =>
            message.composer.isEditing ? (
              <EditComposer />
            ) : message.role === 'user' ? (
              <UserMessage />
            ) : (
              <AssistantMessage />
            )
          }
        </ThreadPrimitive.Messages>
      </ThreadPrimitive.Viewport>
      <ComposerPrimitive.Root className="composer">
        <ComposerPrimitive.Input aria-label="Message" placeholder="Write a message…" rows={1} />
        <ThreadPrimitive.If running={false}>
          <ComposerPrimitive.Send>Send</ComposerPrimitive.Send>
        </ThreadPrimitive.If>
        <ThreadPrimitive.If running>
          <ComposerPrimitive.Cancel>Stop</ComposerPrimitive.Cancel>
        </ThreadPrimitive.If>
      </ComposerPrimitive.Root>
    </ThreadPrimitive.Root>
  );
}

function UserMessage() {
  return (
    <MessagePrimitive.Root className="message user" data-role="user">
      <div className="bubble">
        <MessagePrimitive.Parts />
      </div>
      <ActionBarPrimitive.Root className="actions">
        <ActionBarPrimitive.Edit>Edit</ActionBarPrimitive.Edit>
      </ActionBarPrimitive.Root>
      <BranchPicker />
    </MessagePrimitive.Root>
  );
}

function AssistantMessage() {
  return (
    <MessagePrimitive.Root className="message assistant" data-role="assistant">
      <div className="bubble">
        <MessagePrimitive.Parts />
      </div>
      <ActionBarPrimitive.Root className="actions" hideWhenRunning>
        <ActionBarPrimitive.Reload>Reload</ActionBarPrimitive.Reload>
      </ActionBarPrimitive.Root>
      <BranchPicker />
    </MessagePrimitive.Root>
  );
}

function EditComposer() {
  return (
    <ComposerPrimitive.Root className="message user editing">
      <ComposerPrimitive.Input aria-label="Edit message" />
      <ComposerPrimitive.Cancel>Cancel</ComposerPrimitive.Cancel>
      <ComposerPrimitive.Send>Update</ComposerPrimitive.Send>
    </ComposerPrimitive.Root>
  );
}

/** "‹ 2 / 3 ›": shown only where a message has more than one version. */
function BranchPicker() {
  return (
    <BranchPickerPrimitive.Root hideWhenSingleBranch className="branch-picker">
      <BranchPickerPrimitive.Previous aria-label="Previous version">‹</BranchPickerPrimitive.Previous>
      <span className="branch-number">
        <BranchPickerPrimitive.Number /> / <BranchPickerPrimitive.Count />
      </span>
      <BranchPickerPrimitive.Next aria-label="Next version">›</BranchPickerPrimitive.Next>
    </BranchPickerPrimitive.Root>
  );
}
