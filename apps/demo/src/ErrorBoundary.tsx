import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
  hash: string;
}

/**
 * Shows what went wrong instead of a blank page, and tries again when the URL's hash changes
 * (another conversation, or a fixed link) or on the Reload button.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null, hash: window.location.hash };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)), hash: window.location.hash };
  }

  private readonly onHashChange = () => {
    if (this.state.error && window.location.hash !== this.state.hash) this.setState({ error: null });
  };

  override componentDidMount() {
    window.addEventListener('hashchange', this.onHashChange);
    window.addEventListener('popstate', this.onHashChange);
  }

  override componentWillUnmount() {
    window.removeEventListener('hashchange', this.onHashChange);
    window.removeEventListener('popstate', this.onHashChange);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert" data-testid="app-error">
        <h1>Something went wrong</h1>
        <p>{this.state.error.message}</p>
        <p>
          <a href="#/">Open the newest conversation</a> or{' '}
          <button type="button" className="button" onClick={() => this.setState({ error: null })}>
            try again
          </button>
        </p>
      </div>
    );
  }
}
