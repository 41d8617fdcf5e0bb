/**
 * Invariant 10 for streams: each result replica caps its open streams in all
 * (STREAM_MAX_CLIENTS, then 503) and per client address (STREAM_MAX_CLIENTS_PER_ADDRESS, then
 * 429), both `too_many_streams` with Retry-After, and a slot frees when a stream ends. The
 * address is the client's: behind a trusted proxy (TRUSTED_PROXIES), the one it names.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpApp } from '@voting/runtime';
import { scrapeMetrics } from '@voting/service';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testResultApp, testVoteApp } from '../../../test/support/apps.ts';
import { createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { metricValue } from '../../../test/support/recount.ts';
import { connectSse, type SseClient } from '../../../test/support/sse-client.ts';

let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;
let streamUrl: string;
let proxiedResult: HttpApp;
let proxiedUrl: string;
const clients: SseClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  result = await testResultApp(db.url, db.pool, {
    STREAM_MAX_CLIENTS: '3',
    STREAM_MAX_CLIENTS_PER_ADDRESS: '2',
  });
  await result.listen({ host: '0.0.0.0', port: 0 });
  const round = await createRound(vote);
  const port = (result.server.address() as AddressInfo).port;
  streamUrl = `http://127.0.0.1:${port}/rounds/${round.round_id}/results/stream`;

  // A replica behind a proxy at 127.0.0.4, one stream per client.
  proxiedResult = await testResultApp(db.url, db.pool, {
    TRUSTED_PROXIES: '127.0.0.4',
    STREAM_MAX_CLIENTS_PER_ADDRESS: '1',
  });
  await proxiedResult.listen({ host: '0.0.0.0', port: 0 });
  const proxiedPort = (proxiedResult.server.address() as AddressInfo).port;
  proxiedUrl = `http://127.0.0.1:${proxiedPort}/rounds/${round.round_id}/results/stream`;
});
afterAll(async () => {
  for (const client of clients) client.close();
  await result?.close();
  await proxiedResult?.close();
  await vote?.close();
  await db?.drop();
});

/** Linux answers on all of 127.0.0.0/8: each source address is another client. */
const from = (address: string) => new http.Agent({ localAddress: address });

async function watch(address: string): Promise<SseClient> {
  const client = await connectSse(streamUrl, {}, from(address));
  clients.push(client);
  expect(client.status).toBe(200);
  await client.waitForEvent(() => true);
  return client;
}

function refused(address: string): Promise<{ status: number; retryAfter?: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(streamUrl, { agent: from(address) }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'],
            body: JSON.parse(text),
          }),
        );
      })
      .on('error', reject);
  });
}

it('refuses a third stream from one address with 429, and a fourth stream on the replica with 503', async () => {
  const first = await watch('127.0.0.1');
  await watch('127.0.0.1');
  const overShare = await refused('127.0.0.1');
  expect(overShare).toMatchObject({ status: 429, body: { error: 'too_many_streams' } });
  expect(Number(overShare.retryAfter)).toBeGreaterThan(0);

  await watch('127.0.0.2');
  const full = await refused('127.0.0.3');
  expect(full).toMatchObject({ status: 503, body: { error: 'too_many_streams' } });
  expect(Number(full.retryAfter)).toBeGreaterThan(0);

  const page = await scrapeMetrics(result);
  expect(metricValue(page, 'result_stream_refused_total', 'reason="address_full"')).toBe(1);
  expect(metricValue(page, 'result_stream_refused_total', 'reason="replica_full"')).toBe(1);
  expect(metricValue(page, 'result_stream_clients')).toBe(3);

  // A stream that ends gives its slot back.
  first.close();
  await expect
    .poll(async () => metricValue(await scrapeMetrics(result), 'result_stream_clients'))
    .toBe(2);
  await watch('127.0.0.3');
});

it('counts streams by the client a trusted proxy names, and by the socket for anyone else', async () => {
  const open = async (peer: string, client: string) => {
    const stream = await connectSse(proxiedUrl, { 'x-forwarded-for': client }, from(peer));
    clients.push(stream);
    return stream.status;
  };
  // Two clients behind the proxy: one stream each, though they share its address.
  expect(await open('127.0.0.4', '198.51.100.1')).toBe(200);
  expect(await open('127.0.0.4', '198.51.100.2')).toBe(200);
  expect(await open('127.0.0.4', '198.51.100.1')).toBe(429);
  // From a peer that is not a trusted proxy the header is ignored: one address, one stream.
  expect(await open('127.0.0.5', '198.51.100.3')).toBe(200);
  expect(await open('127.0.0.5', '198.51.100.4')).toBe(429);
});
