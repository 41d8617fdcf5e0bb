import { type Endpoints, endpointsFor, type WebConfig } from './endpoints.ts';

/**
 * Where things are. The pages know only their own URL: the script is `<root>assets/<page>.js`,
 * so `<root>` is where the pages are served from (`/`, or `/live/` behind a path prefix), and
 * `<root>web-config.json` says where the vote and result APIs are.
 */
export const pagesRoot = new URL('../', import.meta.url);

export type { Endpoints, WebConfig };

export async function loadEndpoints(): Promise<Endpoints> {
  let config: WebConfig = { voteUrl: '', resultUrl: '' };
  try {
    const response = await fetch(new URL('web-config.json', pagesRoot), { cache: 'no-cache' });
    if (response.ok) config = (await response.json()) as WebConfig;
  } catch {
    // Same origin for both is the best guess left.
  }
  return endpointsFor(config, window.location.href, pagesRoot);
}

/** The round id of a `/r/:id…` page. */
export function roundIdFromLocation(): string {
  const relative = decodeURIComponent(
    window.location.pathname.slice(pagesRoot.pathname.length).replace(/^\/+/, ''),
  );
  return relative.split('/')[1] ?? '';
}
