import { ThreadListItemPrimitive, ThreadListPrimitive, useAui } from '@assistant-ui/react';
import { useState } from 'react';

/** The threads of the store, newest first: open, rename, archive, delete; archived ones below. */
export function ThreadList() {
  return (
    <ThreadListPrimitive.Root className="thread-list">
      <ThreadListPrimitive.New className="new-thread">+ New thread</ThreadListPrimitive.New>
      <ul aria-label="Threads">
        <ThreadListPrimitive.Items>{() => <ThreadListItem />}</ThreadListPrimitive.Items>
      </ul>
      <h2>Archived</h2>
      <ul aria-label="Archived threads">
        <ThreadListPrimitive.Items archived>{() => <ThreadListItem archived />}</ThreadListPrimitive.Items>
      </ul>
    </ThreadListPrimitive.Root>
  );
}

function ThreadListItem({ archived = false }: { archived?: boolean }) {
  const aui = useAui();
  const [renaming, setRenaming] = useState<string | undefined>(undefined);
  return (
    <ThreadListItemPrimitive.Root className="thread-item">
      {renaming === undefined ? (
        <ThreadListItemPrimitive.Trigger className="thread-title">
          <ThreadListItemPrimitive.Title fallback="New thread" />
        </ThreadListItemPrimitive.Trigger>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (renaming.trim()) aui.threadListItem().rename(renaming.trim());
            setRenaming(undefined);
          }}
        >
          <input aria-label="Thread title" value={renaming} onChange={(e) => setRenaming(e.target.value)} />
          <button type="submit">Save</button>
        </form>
      )}
      <button type="button" onClick={() => setRenaming(aui.threadListItem().getState().title ?? '')}>
        Rename
      </button>
      {archived ? (
        <ThreadListItemPrimitive.Unarchive>Unarchive</ThreadListItemPrimitive.Unarchive>
      ) : (
        <ThreadListItemPrimitive.Archive>Archive</ThreadListItemPrimitive.Archive>
      )}
      <ThreadListItemPrimitive.Delete>Delete</ThreadListItemPrimitive.Delete>
    </ThreadListItemPrimitive.Root>
  );
}
