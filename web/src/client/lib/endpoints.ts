/**
 * From the configured public URLs (web-config.json) and the page's own address to the URLs a
 * page calls and shares. Pure (no DOM), so it is tested without a browser (web/test).
 */

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

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The configured URL as this page can use it. `npm start` configures `http://localhost:…`, which
 * names this machine only: a page opened by the machine's LAN address (a phone scanning the QR
 * code) cannot reach it, and a link or QR code made from it opens nothing on another device. So
 * a loopback URL, on a page opened by another name, takes the page's host name (same scheme,
 * port and path): the same service, by the address that evidently works.
 */
export function reachable(configured: string, page: URL): string {
  if (!/^https?:\/\//i.test(configured)) return configured;
  const url = new URL(configured);
  if (!LOOPBACK.test(url.hostname) || LOOPBACK.test(page.hostname)) return configured;
  url.hostname = page.hostname;
  return url.href;
}

export function endpointsFor(config: WebConfig, pageUrl: string, root: URL): Endpoints {
  const page = new URL(pageUrl);
  const voteUrl = reachable(config.voteUrl, page);
  const resultUrl = reachable(config.resultUrl, page);
  const api = (configured: string, path: string) =>
    configured === ''
      ? new URL(path, page.origin).href
      : new URL(configured.replace(/\/+$/, '') + path, page.origin).href;
  const pages = /^https?:\/\//i.test(voteUrl) ? new URL(`${voteUrl.replace(/\/+$/, '')}/`) : root;
  return {
    vote: (path) => api(voteUrl, path),
    result: (path) => api(resultUrl, path),
    page: (path) => new URL(path, pages).href,
  };
}
