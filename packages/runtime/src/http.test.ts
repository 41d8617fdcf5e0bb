import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest } from './errors.ts';
import { createHttpApp, type HttpApp } from './http.ts';
import { createLogger } from './logger.ts';
import { createRegistry } from './metrics.ts';

let app: HttpApp;

beforeAll(async () => {
  app = await createHttpApp({
    service: 'test',
    logger: createLogger('test', 'silent'),
    registry: createRegistry('test'),
    readiness: async () => null,
  });
  app.get('/fine', async () => ({ ok: true }));
  app.get('/refused', async () => {
    throw badRequest('bad_thing', 'that was bad');
  });
  app.get('/broken', async () => {
    throw new Error('a bug');
  });
});
afterAll(() => app.close());

describe('the app every service starts from', () => {
  it('answers every request with its request id, errors included', async () => {
    for (const [url, status] of [
      ['/fine', 200],
      ['/refused', 400],
      ['/broken', 500],
      ['/nowhere', 404],
    ] as const) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(status);
      expect(answer.headers['x-request-id'], url).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('keeps a well-formed request id from a proxy and replaces a malformed one', async () => {
    const kept = await app.inject({ url: '/fine', headers: { 'x-request-id': 'edge-42.a:b' } });
    expect(kept.headers['x-request-id']).toBe('edge-42.a:b');
    const replaced = await app.inject({ url: '/fine', headers: { 'x-request-id': 'no spaces' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts each request in the duration histogram by route and status', async () => {
    await app.inject({ url: '/refused' });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/refused"[^}]*status_code="400"[^}]*\} [1-9]/,
    );
  });
});
