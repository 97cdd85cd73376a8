// @vitest-environment jsdom
import { SessionManager } from '@ai-session-manager/core';
import { useConversation, useSession, useSessionStats } from '@ai-session-manager/react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { freshStore, providerFor, type RenderCount } from './reactHelpers';

type Session = ReturnType<typeof useSession>;

function Recorder({
  id,
  renders,
  expose,
}: {
  id?: string;
  renders: RenderCount;
  expose?: (s: Session) => void;
}) {
  renders.n += 1;
  const s = useSession(id);
  expose?.(s);
  return <span data-testid="ready">{String(s.isReady)}</span>;
}

function Writer({ id, expose }: { id: string; expose: (s: Session) => void }) {
  expose(useSession(id));
  return null;
}

function MessageCount({ id, renders }: { id: string; renders: RenderCount }) {
  renders.n += 1;
  const { messages } = useConversation(id);
  return <span data-testid={`count-${id}`}>{messages.length}</span>;
}

function StatsCount({ id, renders }: { id: string; renders: RenderCount }) {
  renders.n += 1;
  const { stats } = useSessionStats(id);
  return <span data-testid={`stats-${id}`}>{stats?.totalMessages ?? '-'}</span>;
}

describe('re-renders', () => {
  it('a component that only records never re-renders while another adds 10 messages', async () => {
    const store = freshStore();
    const recorder: RenderCount = { n: 0 };
    const view: RenderCount = { n: 0 };
    let writer: Session | undefined;
    render(
      <>
        <Recorder id="conv" renders={recorder} />
        <Writer id="conv" expose={(s) => (writer = s)} />
        <MessageCount id="conv" renders={view} />
      </>,
      { wrapper: providerFor(store) },
    );
    await waitFor(() => expect(screen.getByTestId('ready').textContent).toBe('true'));
    await act(async () => {
      await writer!.userSays('warm up'); // the conversation now exists, so its head watch is settled
    });
    await waitFor(() => expect(screen.getByTestId('count-conv').textContent).toBe('1'));
    const recorderBefore = recorder.n;
    const viewBefore = view.n;

    for (let i = 0; i < 10; i++) {
      await act(async () => {
        await writer!.userSays(`message ${i}`);
      });
    }
    await waitFor(() => expect(screen.getByTestId('count-conv').textContent).toBe('11'));
    expect(recorder.n).toBe(recorderBefore);
    expect(view.n).toBeGreaterThan(viewBefore); // the view did see them
  });

  it('a recorder does not re-render on its own messages either', async () => {
    const store = freshStore();
    const renders: RenderCount = { n: 0 };
    let session: Session | undefined;
    render(<Recorder renders={renders} expose={(s) => (session = s)} />, { wrapper: providerFor(store) });
    await waitFor(() => expect(session!.isReady).toBe(true));
    await act(async () => {
      await session!.userSays('first');
    });
    const before = renders.n;
    for (let i = 0; i < 10; i++) {
      await act(async () => {
        await session!.userSays(`m${i}`);
        await session!.aiResponds(`r${i}`);
      });
    }
    expect(renders.n).toBe(before);
    expect((await store.getHead(session!.conversationId))?.totals.messages).toBe(21);
  });

  it('a view of conversation X does not re-render when conversation Y changes', async () => {
    const store = freshStore();
    const x = new SessionManager({ store, sessionId: 'x' });
    const y = new SessionManager({ store, sessionId: 'y' });
    await x.userSays('x1');
    await y.userSays('y1');
    const renders = { x: { n: 0 }, xStats: { n: 0 }, y: { n: 0 } };
    render(
      <>
        <MessageCount id="x" renders={renders.x} />
        <StatsCount id="x" renders={renders.xStats} />
        <MessageCount id="y" renders={renders.y} />
      </>,
      { wrapper: providerFor(store) },
    );
    await waitFor(() => {
      expect(screen.getByTestId('count-x').textContent).toBe('1');
      expect(screen.getByTestId('stats-x').textContent).toBe('1');
      expect(screen.getByTestId('count-y').textContent).toBe('1');
    });
    const xBefore = renders.x.n;
    const xStatsBefore = renders.xStats.n;
    const yBefore = renders.y.n;
    for (let i = 0; i < 5; i++) {
      await act(async () => {
        await y.userSays(`y${i + 2}`);
      });
    }
    await waitFor(() => expect(screen.getByTestId('count-y').textContent).toBe('6'));
    expect(renders.x.n).toBe(xBefore);
    expect(renders.xStats.n).toBe(xStatsBefore);
    expect(renders.y.n).toBeGreaterThan(yBefore);

    await act(async () => {
      await x.userSays('x2');
    });
    await waitFor(() => expect(screen.getByTestId('count-x').textContent).toBe('2'));
    expect(renders.x.n).toBe(xBefore + 1); // one change, one render
  });
});
