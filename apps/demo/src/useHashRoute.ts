import { useCallback, useSyncExternalStore } from 'react';

/** The selected conversation lives in the URL (`#/c/<id>`), so a reload or a second tab opens it. */
export function useSelectedConversation(): [string | null, (id: string | null) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const selected = conversationFromHash(hash);
  const select = useCallback((id: string | null) => {
    const next = id === null ? '' : `#/c/${encodeURIComponent(id)}`;
    if (window.location.hash === next) return;
    if (id !== null) {
      window.location.hash = next; // fires hashchange
      return;
    }
    history.pushState(null, '', window.location.pathname + window.location.search);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, []);
  return [selected, select];
}

/**
 * The conversation id in `#/c/<id>`, or null when there is none or it is not a valid
 * percent-encoding (`#/c/%E0%A4%A`): a bad link opens the newest conversation instead.
 */
export function conversationFromHash(hash: string): string | null {
  const match = /^#\/c\/([^/?#]+)$/.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}
