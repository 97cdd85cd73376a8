// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../../apps/demo/src/ErrorBoundary';

function Page() {
  if (window.location.hash === '#/broken') throw new URIError('URI malformed');
  return <p>conversation {window.location.hash}</p>;
}

describe('demo error boundary', () => {
  afterEach(() => {
    window.location.hash = '';
    vi.restoreAllMocks();
  });

  it('shows the error instead of a blank page, and renders again when the hash changes', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // React logs the caught error
    window.location.hash = '#/broken';
    render(
      <ErrorBoundary>
        <Page />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert').textContent).toContain('URI malformed');
    await act(async () => {
      window.location.hash = '#/c/ok';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(screen.getByText('conversation #/c/ok')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
