import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import type { HttpApp } from '@voting/runtime';
import { PAGES } from '../../pages.ts';

export interface WebPagesOptions {
  /** PUBLIC_VOTE_URL: where the pages call the vote API ('' = the page's own origin). */
  voteUrl: string;
  /** PUBLIC_RESULT_URL: where the pages read results and the live stream. */
  resultUrl: string;
  /** PUBLIC_EXTRA_ORIGINS: more origins of these services, comma-separated ('' = none). */
  extraOrigins?: string;
}

/** The pages and the HTML file each is served from (all share one bundle, see docs/web.md). */

/**
 * Serves the web pages and `GET /web-config.json`, and lets the pages of the configured public
 * origins call this service (CORS). Register it right after `createHttpApp`, before the API
 * routes, so the CORS hook covers them.
 */
export async function registerWebPages(app: HttpApp, options: WebPagesOptions): Promise<void> {
  const origins = publicOrigins(options);
  // Same-origin deployments (one host, or paths) need no CORS at all, and skipping it spares
  // every request two hooks.
  if (origins.length > 0) await registerCors(app, origins);

  const distDir = defaultDistDir();
  const headers = securityHeaders(origins);
  const config = JSON.stringify({ voteUrl: options.voteUrl, resultUrl: options.resultUrl });

  await app.register(async (pages) => {
    pages.addHook('onSend', async (_request, reply) => {
      reply.headers(headers);
      // Names carry no content hash, so browsers revalidate (ETag) rather than cache blindly.
      reply.header('cache-control', 'no-cache');
    });
    await pages.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: '/assets/',
      cacheControl: false,
      index: false,
      wildcard: true,
    });

    const hide = { schema: { hide: true } };
    pages.get('/web-config.json', hide, async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send(config),
    );
    for (const page of PAGES) {
      // The join page is served where codes can be looked up (registerJoinPage).
      if ('lookup' in page) continue;
      const file = `${page.name}.html`;
      pages.get(page.url, hide, async (_request, reply) => {
        if (!existsSync(path.join(distDir, 'pages', file)))
          return reply.status(503).type(JSON_TYPE).send(NOT_BUILT);
        return reply.sendFile(file, path.join(distDir, 'pages'));
      });
    }
  });
}

/** The answer where a page's file is missing: the deployment's fault, not the client's. */
const NOT_BUILT = {
  error: 'web_not_built',
  message: 'the pages are not built: run `npm run build:web`',
};
const JSON_TYPE = 'application/json; charset=utf-8';

export interface JoinPageOptions extends WebPagesOptions {
  /** The round a code a person typed leads to, or null (unknown, or not a code at all). */
  resolve(code: string): Promise<string | null>;
}

/**
 * `GET /j/:code`, the address a presenter shows a room: a 303 to the round's voting page, or the
 * join page ("no round has this code", with the field to try again) as a 404, with the pages'
 * headers. The service that can look codes up registers it (the vote service: the presenter page
 * builds this address on the vote API's URL). The redirect is relative, `../r/<id>`, so it stays
 * under the prefix the browser used (`/live/j/…` → `/live/r/…`), which the service may not see.
 */
export async function registerJoinPage(app: HttpApp, options: JoinPageOptions): Promise<void> {
  const distDir = defaultDistDir();
  const headers = securityHeaders(publicOrigins(options));
  // Requests answered with the join page for a code that leads nowhere.
  const nowhere = new WeakSet<object>();
  await app.register(async (pages) => {
    pages.addHook('onSend', async (request, reply) => {
      reply.headers(headers);
      // A code leads to another round once its round closed: never reuse an old answer.
      reply.header('cache-control', 'no-store');
      // A person typed this address, so the answer is a page even where nothing is found. The
      // service's rule that every 4xx is a JSON error (createHttpApp's onSend hook, which runs
      // before this context's own) would make the page JSON: so it is sent as a page and given
      // its 404 here, after that rule.
      if (nowhere.has(request)) reply.status(404);
    });
    pages.get<{ Params: { code: string } }>(
      '/j/:code',
      { schema: { hide: true } },
      async (request, reply) => {
        const roundId = await options.resolve(request.params.code);
        if (roundId) return reply.redirect(`../r/${roundId}`, 303);
        const file = path.join(distDir, 'pages', 'join.html');
        if (!existsSync(file)) return reply.status(503).type(JSON_TYPE).send(NOT_BUILT);
        nowhere.add(request);
        return reply.type('text/html; charset=utf-8').send(await readFile(file, 'utf8'));
      },
    );
  });
}

async function registerCors(app: HttpApp, origins: string[]): Promise<void> {
  await app.register(cors, {
    origin: origins,
    // PATCH edits a round; DELETE deletes one or revokes an invitation; X-Invitation-Code
    // carries an invited voter's code.
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-Voter-Id',
      'X-Invitation-Code',
      'Last-Event-ID',
    ],
    exposedHeaders: ['Content-Disposition', 'X-Request-Id'],
    maxAge: 600,
  });
}

/**
 * `web/dist` when running from source; `web/` beside the bundle when a service runs as the
 * single-file bundle of `npm run build` (copy `web/dist` there in the image).
 */
function defaultDistDir(): string {
  const fromSource = path.resolve(import.meta.dirname, '../../../dist');
  const besideBundle = path.resolve(import.meta.dirname, 'web');
  return existsSync(besideBundle) && !existsSync(fromSource) ? besideBundle : fromSource;
}

/**
 * The origins of the absolute public URLs (paths and '' are this origin already) and the extra
 * origins, each as the browser writes it in an `Origin` header (`new URL().origin`: lower-case
 * host, no default port), since CORS compares them as strings.
 */
export function publicOrigins({
  voteUrl,
  resultUrl,
  extraOrigins = '',
}: WebPagesOptions): string[] {
  const origins = [voteUrl, resultUrl, ...extraOrigins.split(',')]
    .filter((url) => /^https?:\/\//i.test(url))
    .map((url) => new URL(url).origin);
  return [...new Set(origins)];
}

/**
 * Only this project's own scripts and styles run (no inline code, no third party), and the
 * pages may connect only to their own origin and the configured API origins.
 */
export function securityHeaders(origins: readonly string[]): Record<string, string> {
  const connect = ["'self'", ...origins].join(' ');
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      `connect-src ${connect}`,
      "img-src 'self' data:",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}
