/**
 * Where things are. The pages know only their own URL: the script is `<root>assets/<page>.js`,
 * so `<root>` is where the pages are served from (`/`, or `/live/` behind a path prefix), and
 * `<root>web-config.json` says where the vote and result APIs are.
 */
export const pagesRoot = new URL('../', import.meta.url);

export interface WebConfig {
  /** PUBLIC_VOTE_URL: '' (this origin), a path (`/`) or an absolute URL. */
  voteUrl: string;
  /** PUBLIC_RESULT_URL: the same, for results and the live stream (`/live`). */
  resultUrl: string;
}

export interface Endpoints {
  /** A vote API URL: `vote('/rounds')`. */
  vote(path: string): string;
  /** A result API URL: `result('/rounds/<id>/results/stream')`. */
  result(path: string): string;
  /** A page URL to share: `page('r/<id>')`. On the vote service's public URL when it has one. */
  page(path: string): string;
}

export async function loadEndpoints(): Promise<Endpoints> {
  let config: WebConfig = { voteUrl: '', resultUrl: '' };
  try {
    const response = await fetch(new URL('web-config.json', pagesRoot), { cache: 'no-cache' });
    if (response.ok) config = (await response.json()) as WebConfig;
  } catch {
    // Same origin for both is the best guess left.
  }
  return endpointsFor(config, window.location.origin, pagesRoot);
}

export function endpointsFor(config: WebConfig, origin: string, root: URL): Endpoints {
  const api = (configured: string, path: string) =>
    configured === ''
      ? new URL(path, origin).href
      : new URL(configured.replace(/\/+$/, '') + path, origin).href;
  const pages = /^https?:\/\//i.test(config.voteUrl)
    ? new URL(`${config.voteUrl.replace(/\/+$/, '')}/`)
    : root;
  return {
    vote: (path) => api(config.voteUrl, path),
    result: (path) => api(config.resultUrl, path),
    page: (path) => new URL(path, pages).href,
  };
}

/** The round id of a `/r/:id…` page. */
export function roundIdFromLocation(): string {
  const relative = decodeURIComponent(
    window.location.pathname.slice(pagesRoot.pathname.length).replace(/^\/+/, ''),
  );
  return relative.split('/')[1] ?? '';
}
