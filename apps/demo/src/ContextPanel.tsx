import { useConversation, useSession } from '@ai-session-manager/react';
import { useEffect, useState } from 'react';
import { formatCount } from './format';
import { Meter } from './Meter';
import { describePrompt, type PromptView } from './nextPrompt';
import type { Responder } from './responder';
import { sessionOptions } from './sessionOptions';
import type { Thresholds } from './settings';

interface ContextPanelProps {
  conversationId: string;
  thresholds: Thresholds;
  responder: Responder;
}

const LABEL: Record<PromptView['lines'][number]['kind'], string> = {
  system: 'System prompt',
  summary: 'Summary of earlier segments',
  user: 'You',
  assistant: 'Assistant',
  tool: 'Tool',
};

/**
 * "What the model sees": the messages the next request carries (system prompt, summary of the
 * earlier segments, the newest turns that fit), each with its tokens, against the budget.
 */
export function ContextPanel({ conversationId, thresholds, responder }: ContextPanelProps) {
  const session = useSession(conversationId, sessionOptions(thresholds, responder));
  const { events, segments } = useConversation(conversationId);
  const head = segments?.at(-1);
  const segmentMessages = head ? head.totals.userMessages + head.totals.aiMessages : 0;
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<PromptView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const version = `${events?.length ?? 0}:${events?.at(-1)?.id ?? ''}`;
  const read = session.getMessagesForLLM;

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when the conversation changes
  useEffect(() => {
    if (!open) return;
    let current = true;
    describePrompt(read, responder.model, segmentMessages).then(
      (next) => {
        if (!current) return;
        setView(next);
        setProblem(null);
      },
      (error: unknown) => {
        if (current) setProblem(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      current = false;
    };
  }, [open, version, read, responder.model, segmentMessages]);

  return (
    <section className={`context-panel${open ? ' context-panel--open' : ''}`} data-testid="context-panel">
      <button
        type="button"
        className="context-panel__toggle"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="context-toggle"
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> What the model sees next
        {open && view && (
          <span className="context-panel__total">
            {formatCount(view.total)} / {formatCount(view.budget)} tokens
          </span>
        )}
      </button>
      {open && (
        <div className="context-panel__body" data-testid="context-body">
          <p className="context-panel__help">
            Every request sends the system prompt, the summary of earlier segments, then the newest messages
            of the current segment that fit a budget of {formatCount(view?.budget ?? 0)} tokens, then your new
            message. Counted with {responder.model}'s tokenizer.
          </p>
          {problem && <p role="alert">Could not build the request: {problem}</p>}
          {view && (
            <>
              <Meter
                testId="context-budget"
                share={Math.min(1, view.total / view.budget)}
                text={`${formatCount(view.total)} / ${formatCount(view.budget)} tokens`}
              />
              {view.leftOut > 0 && (
                <p className="context-panel__note" data-testid="context-left-out">
                  {formatCount(view.leftOut)} older message{view.leftOut === 1 ? '' : 's'} of this segment
                  {view.leftOut === 1 ? ' does' : ' do'} not fit and {view.leftOut === 1 ? 'is' : 'are'} not
                  sent.
                </p>
              )}
              <ol className="context-panel__list">
                {view.lines.map((line, i) => (
                  <li
                    // biome-ignore lint/suspicious/noArrayIndexKey: the list is rebuilt as a whole
                    key={i}
                    className={`context-line context-line--${line.kind}`}
                    data-testid="context-line"
                    data-kind={line.kind}
                  >
                    <span className="context-line__who">{LABEL[line.kind]}</span>
                    <span className="context-line__tokens" data-testid="context-line-tokens">
                      {formatCount(line.tokens)} tok
                    </span>
                    <p className="context-line__text">{line.content}</p>
                  </li>
                ))}
                {view.lines.length === 0 && <li className="context-line">Nothing yet: only your message.</li>}
              </ol>
            </>
          )}
        </div>
      )}
    </section>
  );
}
