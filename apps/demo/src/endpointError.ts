import { scrubSecrets } from './scrubSecrets';

/** Why a request to the endpoint failed, as far as the page can tell. */
export type EndpointFailure =
  | 'network'
  | 'auth'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'bad-response'
  | 'aborted';

/**
 * A failed model call: names the URL and the likely cause. Its message never holds the key
 * (endpoint text is scrubbed), so it is safe to show and to store.
 */
export class EndpointError extends Error {
  override readonly name = 'EndpointError';
  constructor(
    readonly url: string,
    readonly failure: EndpointFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const HINTS: Record<EndpointFailure, string> = {
  network:
    'No answer reached this page: the server is down or unreachable, the URL is wrong, or it does not allow requests from this page (CORS).',
  auth: 'The endpoint refused the API key (check it in Settings).',
  'not-found': 'Check the base URL and the model name in Settings.',
  'rate-limit': 'The endpoint is rate-limiting or out of quota; wait and retry.',
  server: 'The endpoint had an error of its own; retry later.',
  'bad-response': 'The endpoint answered, but not with a chat completion.',
  aborted: 'The request was stopped.',
};

/** An HTTP error answer: status, and the endpoint's own message (scrubbed). */
export function httpError(
  url: string,
  status: number,
  detail: string,
  secrets: readonly string[],
): EndpointError {
  const failure: EndpointFailure =
    status === 401 || status === 403
      ? 'auth'
      : status === 404
        ? 'not-found'
        : status === 429
          ? 'rate-limit'
          : status >= 500
            ? 'server'
            : 'bad-response';
  const said = detail.trim() ? `: ${scrubSecrets(detail.trim(), secrets)}` : '';
  return new EndpointError(url, failure, `${url} answered ${status}${said}. ${HINTS[failure]}`, status);
}

/** `fetch` itself failed (a TypeError such as "Failed to fetch"): network or CORS. */
export function fetchError(url: string, error: unknown, secrets: readonly string[]): EndpointError {
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new EndpointError(url, 'aborted', `The request to ${url} was stopped.`);
  }
  const reason = scrubSecrets(error instanceof Error ? error.message : String(error), secrets);
  return new EndpointError(url, 'network', `Could not reach ${url} (${reason}). ${HINTS.network}`);
}

/** The endpoint answered 2xx with something that is not a completion. */
export function badResponse(url: string, what: string): EndpointError {
  return new EndpointError(url, 'bad-response', `${url} ${what}. ${HINTS['bad-response']}`);
}
