import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest } from './errors.ts';
import { canonicalLowerCase, createHttpApp, type HttpApp } from './http.ts';
import { createLogger } from './logger.ts';
import { createRegistry } from './metrics.ts';

let app: HttpApp;
const registry = createRegistry('test');

beforeAll(async () => {
  app = await createHttpApp({
    service: 'test',
    logger: createLogger('test', 'silent'),
    registry,
    readiness: async () => null,
  });
  app.get('/fine', async () => ({ ok: true }));
  app.get('/refused', async () => {
    throw badRequest('bad_thing', 'that was bad');
  });
  app.get('/broken', async () => {
    throw new Error('a bug');
  });
  // A route that takes no body, one that takes a JSON body, and one whose answer a plugin-like
  // layer writes as text/plain (as @fastify/cors answers an OPTIONS that is not a preflight).
  app.post('/things/:id/close', async (request) => ({ closed: true, body: request.body ?? null }));
  app.post(
    '/things',
    { schema: { body: Type.Object({ name: Type.String() }) } },
    async (request) => ({ name: request.body.name }),
  );
  app.get('/plain-refusal', async (_request, reply) =>
    reply.status(400).type('text/plain').send('Invalid Preflight Request'),
  );
  app.options('/cors-like', async (_request, reply) =>
    reply.status(400).type('text/plain').send('Invalid Preflight Request'),
  );
  app.get('/empty-refusal', async (_request, reply) => reply.status(403).send());
  const id = Type.String({ pattern: '^[0-9a-fA-F]{4}$', ...canonicalLowerCase });
  app.get('/ids/:id', { schema: { params: Type.Object({ id }) } }, async (request) => ({
    id: request.params.id,
  }));
  app.post('/ids', { schema: { body: Type.Object({ id }) } }, async (request) => ({
    id: request.body.id,
  }));
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());

const isJsonError = (response: { statusCode: number; headers: Record<string, unknown> }) =>
  response.statusCode >= 400 &&
  String(response.headers['content-type']).startsWith('application/json');

/** Writes raw bytes to the listening app and reads until the server closes (or 2 s pass). */
function rawRequest(text: string): Promise<{ answer: string; closed: boolean }> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, 2_000);
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closed: true });
    });
    socket.write(text);
  });
}

/** The status and JSON body of a raw HTTP/1.1 answer. */
function parseRaw(answer: string): { status: number; type: string; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const status = Number(head.split(' ')[1]);
  const type = /^content-type: *(.*)$/im.exec(head)?.[1] ?? '';
  return { status, type, body: JSON.parse(body) };
}

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
    // The registry is served on the metrics port (@voting/service), never on the app's own.
    expect((await app.inject({ url: '/metrics' })).json()).toMatchObject({ error: 'not_found' });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/refused"[^}]*status_code="400"[^}]*\} [1-9]/,
    );
  });
});

describe('every error is the JSON error, from any layer (invariant 7)', () => {
  it.each([
    ['PATCH', '/things'],
    ['TRACE', '/fine'],
    ['PROPFIND', '/fine'],
    ['DELETE', '/fine'],
    ['CONNECT', '/fine'],
    ['OPTIONS', '/fine'],
  ] as const)('an unsupported method: %s %s', async (method, url) => {
    const answer = await app.inject({ method, url });
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual({ error: 'not_found', message: `no route for ${method} ${url}` });
  });

  it('a text/plain or empty refusal of another layer (CORS, a plugin) becomes the JSON error', async () => {
    const preflight = await app.inject({ method: 'OPTIONS', url: '/cors-like' });
    expect(preflight.statusCode).toBe(400);
    expect(preflight.headers['content-type']).toMatch(/^application\/json/);
    expect(preflight.json()).toEqual({
      error: 'invalid_request',
      message: expect.stringContaining('CORS preflight'),
    });
    const plain = await app.inject({ url: '/plain-refusal' });
    expect(plain.json()).toEqual({
      error: 'invalid_request',
      message: 'Invalid Preflight Request',
    });
    const empty = await app.inject({ url: '/empty-refusal' });
    expect(empty.statusCode).toBe(403);
    expect(empty.json()).toEqual({ error: 'forbidden', message: 'forbidden' });
  });

  it('a URL that is not valid percent-encoding', async () => {
    for (const url of ['/fine/%zz', '/ids/%E0%A4%A', '/%', '/ids/abc%']) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json(), url).toEqual({
        error: 'invalid_request',
        message: expect.stringContaining('percent-encoded'),
      });
      expect(answer.headers['x-request-id'], url).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('an empty body is no body on a route that takes none, whatever its content type', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'text/plain',
    ]) {
      const answer = await app.inject({
        method: 'POST',
        url: '/things/1/close',
        headers: { 'content-type': type },
        payload: '',
      });
      expect(answer.statusCode, type).toBe(200);
      expect(answer.json(), type).toEqual({ closed: true, body: null });
    }
    const bare = await app.inject({ method: 'POST', url: '/things/1/close' });
    expect(bare.statusCode).toBe(200);
  });

  it.each([
    ['an empty JSON body where one is needed', 'application/json', '', 400, 'invalid_json'],
    ['a body that is not JSON', 'application/json', '{name', 400, 'invalid_json'],
    [
      'a prototype-poisoning body',
      'application/json',
      '{"__proto__":{"x":1}}',
      400,
      'invalid_json',
    ],
    ['text/plain', 'text/plain', 'name=x', 415, 'unsupported_media_type'],
    ['a form', 'application/x-www-form-urlencoded', 'name=x', 415, 'unsupported_media_type'],
    ['JSON by another name', 'application/json-patch+json', '{}', 415, 'unsupported_media_type'],
    ['a multipart body', 'multipart/form-data; boundary=x', '--x--', 415, 'unsupported_media_type'],
  ])('%s', async (_what, type, payload, status, code) => {
    const answer = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': type },
      payload,
    });
    expect(answer.statusCode).toBe(status);
    expect(answer.json()).toEqual({ error: code, message: expect.any(String) });
  });

  it('a non-empty body on a route that takes none is still refused when it is not JSON', async () => {
    const form = await app.inject({
      method: 'POST',
      url: '/things/1/close',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(form.statusCode).toBe(415);
    const broken = await app.inject({
      method: 'POST',
      url: '/things/1/close',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(broken.json().error).toBe('invalid_json');
  });

  it('a body without a content type is 415', async () => {
    const answer = await rawRequest(
      'POST /things HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(parseRaw(answer.answer)).toMatchObject({
      status: 415,
      body: { error: 'unsupported_media_type' },
    });
  });

  it.each([
    [
      'CONNECT to a host',
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
      405,
      'method_not_allowed',
    ],
    ['CONNECT to a path', 'CONNECT /fine HTTP/1.1\r\nHost: x\r\n\r\n', 405, 'method_not_allowed'],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400, 'invalid_request'],
    [
      'a header name with a space',
      'GET /fine HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
      400,
      'invalid_request',
    ],
    [
      'a malformed Content-Length',
      'POST /things HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      400,
      'invalid_request',
    ],
    [
      'both Content-Length and chunked',
      'POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      400,
      'invalid_request',
    ],
    [
      'a bad chunk size',
      'POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      400,
      'invalid_request',
    ],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, 'invalid_request'],
    [
      'headers over the limit',
      `GET /fine HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
    [
      'an Expect other than 100-continue',
      'POST /things HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      417,
      'expectation_failed',
    ],
  ])('on the socket: %s answers JSON and closes', async (_what, text, status, code) => {
    const { answer, closed } = await rawRequest(text);
    const parsed = parseRaw(answer);
    expect(parsed.status).toBe(status);
    expect(parsed.type).toMatch(/^application\/json/);
    expect(parsed.body).toEqual({ error: code, message: expect.any(String) });
    expect(closed).toBe(true);
  });

  it('keeps serving after all of that', async () => {
    const { answer } = await rawRequest(
      'GET /fine HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(parseRaw(answer)).toMatchObject({ status: 200, body: { ok: true } });
    expect(isJsonError(await app.inject({ url: '/nowhere' }))).toBe(true);
  });
});

describe('x-canonical: lower-case ids in paths and bodies once valid', () => {
  it('lower-cases a valid id in a path and in a body, and refuses other forms', async () => {
    expect((await app.inject({ url: '/ids/AbCd' })).json()).toEqual({ id: 'abcd' });
    const body = await app.inject({ method: 'POST', url: '/ids', payload: { id: 'ABCD' } });
    expect(body.json()).toEqual({ id: 'abcd' });
    for (const url of ['/ids/{abcd}', '/ids/abcde', '/ids/ab%00d']) {
      const refused = await app.inject({ url });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json().error, url).toBe('invalid_request');
    }
  });
});
