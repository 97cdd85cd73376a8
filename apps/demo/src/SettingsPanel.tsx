import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isPositiveInteger, type ResponderChoice, type Thresholds } from './settings';

interface SettingsPanelProps {
  thresholds: Thresholds;
  responder: ResponderChoice;
  onApply(thresholds: Thresholds, responder: ResponderChoice): void;
  onClose(): void;
}

/** Thresholds for infinite context, and which responder answers. The API key stays in memory. */
export function SettingsPanel({ thresholds, responder, onApply, onClose }: SettingsPanelProps) {
  const [tokenThreshold, setTokenThreshold] = useState(String(thresholds.tokenThreshold));
  const [maxTurns, setMaxTurns] = useState(String(thresholds.maxTurnsPerSegment));
  const [kind, setKind] = useState<ResponderChoice['kind']>(responder.kind);
  const [baseUrl, setBaseUrl] = useState(
    responder.kind === 'openai' ? responder.baseUrl : 'https://api.openai.com/v1',
  );
  const [model, setModel] = useState(responder.kind === 'openai' ? responder.model : 'gpt-4o-mini');
  const [apiKey, setApiKey] = useState(responder.kind === 'openai' ? responder.apiKey : '');
  const [problem, setProblem] = useState<string | null>(null);
  const firstField = useRef<HTMLInputElement>(null);

  // Opening moves focus into the panel; Escape closes it from anywhere on the page.
  useEffect(() => {
    firstField.current?.focus();
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const tokens = Number(tokenThreshold);
    const turns = Number(maxTurns);
    if (!isPositiveInteger(tokens) || !isPositiveInteger(turns)) {
      setProblem('Thresholds must be positive whole numbers.');
      return;
    }
    if (kind === 'openai') {
      try {
        new URL(baseUrl);
      } catch {
        setProblem('The base URL is not a valid URL.');
        return;
      }
      if (!model.trim()) {
        setProblem('Name the model to use.');
        return;
      }
    }
    setProblem(null);
    onApply(
      { tokenThreshold: tokens, maxTurnsPerSegment: turns },
      kind === 'openai' ? { kind, baseUrl: baseUrl.trim(), model: model.trim(), apiKey } : { kind: 'local' },
    );
  }

  return (
    <aside className="settings" aria-label="Settings" data-testid="settings-panel">
      {/* Escape or × closes it. */}
      <form onSubmit={onSubmit} className="settings__form">
        <div className="settings__head">
          <h2>Settings</h2>
          <button
            type="button"
            className="button button--ghost"
            onClick={onClose}
            aria-label="Close settings"
          >
            ×
          </button>
        </div>

        <fieldset>
          <legend>Infinite context</legend>
          <p className="settings__help">
            A segment is one stretch of the conversation. Before a message is recorded, a segment at either
            limit is closed with a summary and a new segment continues it; the model then sees the summary
            instead of the closed segment's messages.
          </p>
          <label>
            Token threshold per segment
            <input
              ref={firstField}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={tokenThreshold}
              onChange={(e) => setTokenThreshold(e.target.value)}
              data-testid="settings-token-threshold"
            />
          </label>
          <label>
            Messages per segment
            <input
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={maxTurns}
              onChange={(e) => setMaxTurns(e.target.value)}
              data-testid="settings-max-turns"
            />
          </label>
        </fieldset>

        <fieldset>
          <legend>Responder</legend>
          <label className="settings__choice">
            <input
              type="radio"
              name="responder"
              checked={kind === 'local'}
              onChange={() => setKind('local')}
              data-testid="settings-responder-local"
            />
            Local (offline, deterministic, calculator tool)
          </label>
          <label className="settings__choice">
            <input
              type="radio"
              name="responder"
              checked={kind === 'openai'}
              onChange={() => setKind('openai')}
              data-testid="settings-responder-openai"
            />
            OpenAI-compatible endpoint
          </label>
          {kind === 'openai' && (
            <>
              <label>
                Base URL
                <input
                  type="url"
                  value={baseUrl}
                  onChange={(e) => setBaseUrl(e.target.value)}
                  data-testid="settings-base-url"
                />
              </label>
              <label>
                Model
                <input
                  type="text"
                  value={model}
                  onChange={(e) => setModel(e.target.value)}
                  data-testid="settings-model"
                />
              </label>
              <label>
                API key
                <input
                  type="password"
                  autoComplete="off"
                  value={apiKey}
                  onChange={(e) => setApiKey(e.target.value)}
                  data-testid="settings-api-key"
                />
              </label>
              <p className="settings__help">
                The key is kept in this page's memory only: never saved, gone on reload. It is sent to the
                base URL above and nowhere else.
              </p>
            </>
          )}
        </fieldset>

        {problem && (
          <p className="settings__problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button button--primary" data-testid="settings-apply">
          Apply
        </button>
      </form>
    </aside>
  );
}
