import { useCallback, useSyncExternalStore } from 'react';

/** The selected conversation lives in the URL (`#/c/<id>`), so a reload or a second tab opens it. */
export function useSelectedConversation(): [string | null, (id: string | null) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const match = /^#\/c\/([^/?#]+)$/.exec(hash);
  const selected = match ? decodeURIComponent(match[1]!) : null;
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

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}
