import { gzipSync } from 'node:zlib';
import { ConfigError, type HttpApp, loadConfig } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voteConfig } from '../../services/vote/src/config.ts';
import { testResultApp, testVoteApp } from '../../test/support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { buildWeb, pages, type WebBuild } from '../build.ts';

const VOTE_ORIGIN = 'http://vote.example.test:8080';
const RESULT_ORIGIN = 'http://result.example.test:8081';
const PAGE_URLS = [
  '/',
  '/new',
  '/r/00000000-0000-4000-8000-000000000000',
  '/r/00000000-0000-4000-8000-000000000000/results',
  '/r/00000000-0000-4000-8000-000000000000/manage',
];
const BUDGET_BYTES = 100 * 1024;

let built: WebBuild;
let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;

beforeAll(async () => {
  built = await buildWeb();
  db = await createTestDatabase();
  const env = { PUBLIC_VOTE_URL: VOTE_ORIGIN, PUBLIC_RESULT_URL: `${RESULT_ORIGIN}/` };
  vote = await testVoteApp(db.url, db.pool, env);
  result = await testResultApp(db.url, db.pool, env);
});
afterAll(async () => {
  await vote?.close();
  await result?.close();
  await db?.drop();
});

describe('the bundle', () => {
  it('keeps every page within 100 KB of gzipped JavaScript', async () => {
    const sizes: Record<string, number> = {};
    for (const page of pages) {
      const script = await vote.inject({ url: `/assets/${page.name}.js` });
      expect(script.statusCode).toBe(200);
      sizes[page.name] = gzipSync(script.rawPayload, { level: 9 }).length;
    }
    console.info(
      `gzipped JavaScript per page: ${Object.entries(sizes)
        .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KB`)
        .join(', ')}`,
    );
    for (const [name, bytes] of Object.entries(sizes)) {
      expect(bytes, `${name}.js gzipped`).toBeLessThanOrEqual(BUDGET_BYTES);
    }
    expect(Object.keys(built.scripts).sort()).toEqual(pages.map((page) => page.name).sort());
  });
});

describe.each([
  ['vote', () => vote],
  ['result', () => result],
])('the %s service', (_name, app) => {
  it.each(PAGE_URLS)('serves %s as a page with the security headers', async (url) => {
    const response = await app().inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain(`connect-src 'self' ${VOTE_ORIGIN} ${RESULT_ORIGIN};`);
    expect(csp).not.toContain('unsafe');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    // No inline script or style, nothing from another host.
    const html = response.body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('links the assets relatively, so the pages also work under a path prefix', async () => {
    const html = (await app().inject({ url: PAGE_URLS[3] })).body;
    expect(html).toContain('src="../../assets/results.js"');
    expect(html).toContain('href="../../assets/style.css"');
  });

  it('serves the scripts and the stylesheet with their types', async () => {
    const script = await app().inject({ url: '/assets/vote.js' });
    expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    const style = await app().inject({ url: '/assets/style.css' });
    expect(style.headers['content-type']).toMatch(/^text\/css/);
    expect((await app().inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('tells the pages where the APIs are', async () => {
    const response = await app().inject({ url: '/web-config.json' });
    expect(response.json()).toEqual({ voteUrl: VOTE_ORIGIN, resultUrl: `${RESULT_ORIGIN}/` });
  });

  it('answers CORS preflights from the public origins only', async () => {
    const preflight = (origin: string) =>
      app().inject({
        method: 'OPTIONS',
        url: '/vote',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers':
            'content-type,x-voter-id,x-invitation-code,authorization',
        },
      });
    const allowed = await preflight(RESULT_ORIGIN);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(RESULT_ORIGIN);
    const headers = String(allowed.headers['access-control-allow-headers']).toLowerCase();
    for (const name of [
      'authorization',
      'content-type',
      'x-voter-id',
      'x-invitation-code',
      'last-event-id',
    ]) {
      expect(headers).toContain(name);
    }
    const methods = String(allowed.headers['access-control-allow-methods']).split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
    const refused = await preflight('http://elsewhere.example.test');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers when every public URL is on the same origin', async () => {
    const sameOrigin = await testVoteApp(db.url, db.pool, {
      PUBLIC_VOTE_URL: '',
      PUBLIC_RESULT_URL: '/live',
    });
    try {
      const answer = await sameOrigin.inject({
        method: 'OPTIONS',
        url: '/vote',
        headers: { origin: RESULT_ORIGIN, 'access-control-request-method': 'POST' },
      });
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      const page = await sameOrigin.inject({ url: '/', headers: { origin: RESULT_ORIGIN } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await sameOrigin.close();
    }
  });

  it('lets the extra origins call it and the pages connect to them (PUBLIC_EXTRA_ORIGINS)', async () => {
    const lan = 'http://192.168.1.20:8080';
    const lanResult = 'http://192.168.1.20:8081';
    const extra = await testVoteApp(db.url, db.pool, {
      PUBLIC_VOTE_URL: 'http://localhost:8080',
      PUBLIC_RESULT_URL: 'http://localhost:8081',
      // Written as people write them: the default port and upper-case host are normalized away.
      PUBLIC_EXTRA_ORIGINS: `${lan},${lanResult},http://Phone.Example.Test:80`,
    });
    try {
      const preflight = (origin: string) =>
        extra.inject({
          method: 'OPTIONS',
          url: '/vote',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      expect((await preflight(lan)).headers['access-control-allow-origin']).toBe(lan);
      const normalized = 'http://phone.example.test';
      expect((await preflight(normalized)).headers['access-control-allow-origin']).toBe(normalized);
      const refused = await preflight('http://192.168.1.21:8080');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      const csp = String((await extra.inject({ url: '/' })).headers['content-security-policy']);
      expect(csp).toContain(
        `connect-src 'self' http://localhost:8080 http://localhost:8081 ${lan} ${lanResult} ${normalized};`,
      );
    } finally {
      await extra.close();
    }
  });

  it('keeps the pages out of the OpenAPI document', async () => {
    const document = (await app().inject({ url: '/openapi.json' })).json();
    for (const path of ['/', '/new', '/r/{id}', '/web-config.json', '/assets/*', '*']) {
      expect(document.paths[path], path).toBeUndefined();
    }
  });
});

describe('PUBLIC_EXTRA_ORIGINS', () => {
  const base = { DATABASE_URL: 'postgres://x', VOTER_KEY_SECRET: 'x'.repeat(16) };

  it.each(['', 'http://10.0.0.2:8080', 'http://10.0.0.2:8080,https://vote.example.org'])(
    'accepts %j',
    (value) => {
      const config = loadConfig(voteConfig, { ...base, PUBLIC_EXTRA_ORIGINS: value });
      expect(config.PUBLIC_EXTRA_ORIGINS).toBe(value);
    },
  );

  it.each(['10.0.0.2:8080', 'http://10.0.0.2:8080/path', 'http://a, http://b', 'http://a,'])(
    'refuses %j, naming the variable',
    (value) => {
      expect(() => loadConfig(voteConfig, { ...base, PUBLIC_EXTRA_ORIGINS: value })).toThrow(
        /PUBLIC_EXTRA_ORIGINS/,
      );
    },
  );
});

describe('PUBLIC_VOTE_URL and PUBLIC_RESULT_URL', () => {
  const base = { DATABASE_URL: 'postgres://x', VOTER_KEY_SECRET: 'x'.repeat(16) };

  it('default to the same origin', () => {
    const config = loadConfig(voteConfig, base);
    expect(config).toMatchObject({ PUBLIC_VOTE_URL: '', PUBLIC_RESULT_URL: '' });
  });

  it.each(['', '/', '/live', 'http://localhost:8081', 'https://vote.example.org/base'])(
    'accept %j',
    (value) => {
      expect(loadConfig(voteConfig, { ...base, PUBLIC_RESULT_URL: value }).PUBLIC_RESULT_URL).toBe(
        value,
      );
    },
  );

  it.each(['live', 'ftp://x', 'http://x/?q=1', 'javascript:alert(1)'])(
    'refuse %j, naming the variable',
    (value) => {
      expect(() => loadConfig(voteConfig, { ...base, PUBLIC_VOTE_URL: value })).toThrow(
        ConfigError,
      );
      expect(() => loadConfig(voteConfig, { ...base, PUBLIC_VOTE_URL: value })).toThrow(
        /PUBLIC_VOTE_URL/,
      );
    },
  );
});
