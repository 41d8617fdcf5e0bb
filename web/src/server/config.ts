import { Type } from 'typebox';

/** Empty, a path from the root (`/live`), or an http(s) URL without query or fragment. */
const PUBLIC_URL_PATTERN = '^(|/[^?#]*|https?://[^/?#]+(/[^?#]*)?)$';

/** Empty, or comma-separated http(s) origins (scheme, host, optional port; no path). */
const EXTRA_ORIGINS_PATTERN = '^(|https?://[^/?#,\\s]+(,https?://[^/?#,\\s]+)*)$';

/** The settings of a service that serves the pages (vote and result). */
export const pagesConfig = {
  /**
   * Where the pages send their vote API calls (rounds, ballots, close, exports): an absolute
   * URL (`http://localhost:8080`, when vote and result listen on different ports) or a path on
   * the pages' own host (`/`). Empty = the same origin as the page. Absolute origins are also
   * the ones CORS lets call this service, and the pages' Content-Security-Policy allows.
   */
  PUBLIC_VOTE_URL: Type.String({ default: '', pattern: PUBLIC_URL_PATTERN }),
  /**
   * Where the pages read results and the live stream: as PUBLIC_VOTE_URL; `/live` behind one
   * host that routes `/live/` to the result service.
   */
  PUBLIC_RESULT_URL: Type.String({ default: '', pattern: PUBLIC_URL_PATTERN }),
  /**
   * More origins whose pages may call this service (CORS) and that the pages may connect to
   * (CSP), comma-separated: the same services reached by other names. `npm start` sets it to the
   * machine's LAN addresses on the vote and result ports, so a phone that opened the pages by
   * such an address also gets the live results (docs/web.md).
   */
  PUBLIC_EXTRA_ORIGINS: Type.String({ default: '', pattern: EXTRA_ORIGINS_PATTERN }),
};
