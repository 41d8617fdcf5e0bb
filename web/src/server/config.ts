import { Type } from 'typebox';

/** Empty, a path from the root (`/live`), or an http(s) URL without query or fragment. */
const PUBLIC_URL_PATTERN = '^(|/[^?#]*|https?://[^/?#]+(/[^?#]*)?)$';

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
};
