/**
 * Tracing (docs/observability.md): a vote through the real services — vote, worker and result
 * built in-process on a real database, each with the tracing `runService` starts
 * (`startTelemetry`), exporting by OTLP/HTTP to an in-test receiver — produces the request and
 * database spans, the worker's aggregation span and the result's stream-event span, linked across
 * the asynchronous hop; an incoming `traceparent` is continued; the request's log lines and the
 * duration histogram's exemplar name its trace. Hidden rounds stay hidden in spans (invariant 8).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { createPool, type Pool } from '@voting/db';
import { createLogger, type HttpApp } from '@voting/runtime';
import {
  closeMetrics,
  createMetricsServer,
  listenMetrics,
  registryOf,
  scrapeMetrics,
} from '@voting/service';
import { startTelemetry, type Telemetry } from '@voting/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkerApp } from '../services/worker/src/app.ts';
import { testResultApp, testVoteApp, testWorkerApp } from './support/apps.ts';
import { createTestDatabase, type TestDatabase, untilListening } from './support/database.ts';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  SPAN_KIND,
  startOtlpReceiver,
} from './support/otlp-receiver.ts';
import { connectSse, type SseClient } from './support/sse-client.ts';

let db: TestDatabase;
let receiver: OtlpReceiver;
const telemetry: Record<'vote' | 'worker' | 'result', Telemetry> = {} as never;
const pools: Pool[] = [];
let vote: HttpApp;
let worker: WorkerApp;
let result: HttpApp;
let resultUrl: string;
const voteLog: Record<string, unknown>[] = [];
const clients: SseClient[] = [];

const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const newTraceId = () => randomBytes(16).toString('hex');
const newSpanId = () => randomBytes(8).toString('hex');

function tracedPool(service: keyof typeof telemetry): Pool {
  const pool = createPool({ connectionString: db.url, max: 5, tracer: telemetry[service].tracer });
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Only the standard variables, as a deployment sets them.
  vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
  vi.stubEnv('OTEL_TRACES_SAMPLER', 'parentbased_always_on');
  vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'k8s.pod.name=pod-1,k8s.namespace.name=voting-test');
  vi.stubEnv('OTEL_BSP_SCHEDULE_DELAY', '50');
  db = await createTestDatabase();
  for (const service of ['vote', 'worker', 'result'] as const)
    telemetry[service] = await startTelemetry(service, { version: '9.9.9' });

  const voteLogger = createLogger('vote', 'debug', {
    write: (line: string) => {
      voteLog.push(JSON.parse(line));
    },
  });
  vote = await testVoteApp(db.url, tracedPool('vote'), {}, voteLogger, telemetry.vote);
  worker = await testWorkerApp(db.url, tracedPool('worker'), {}, undefined, telemetry.worker);
  result = await testResultApp(db.url, tracedPool('result'), {}, undefined, telemetry.result);
  // Listening starts the result's LISTEN connection; the worker's loop is stepped by hand.
  await result.listen({ host: '127.0.0.1', port: 0 });
  resultUrl = `http://127.0.0.1:${(result.server.address() as AddressInfo).port}`;
  // The worker's notifications reach the result only once it LISTENs.
  await untilListening(db.pool);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await result?.close();
  await worker?.app.close();
  await vote?.close();
  for (const pool of pools) await pool.end();
  for (const service of Object.values(telemetry)) await service?.shutdown();
  await receiver?.close();
  await db?.drop();
  vi.unstubAllEnvs();
});

async function createRound(body: object = {}): Promise<{ roundId: string; adminToken: string }> {
  const created = await vote.inject({
    method: 'POST',
    url: '/rounds',
    payload: { name: 'traced', options: ['A', 'B'], ...body },
  });
  expect(created.statusCode).toBe(201);
  const round = created.json();
  return { roundId: round.round_id, adminToken: round.admin_token };
}

async function castVote(roundId: string, headers: Record<string, string> = {}) {
  const response = await vote.inject({
    method: 'POST',
    url: '/vote',
    payload: { round_id: roundId, option_id: 1 },
    headers: { 'x-voter-id': randomUUID(), ...headers },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response;
}

async function watch(roundId: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await connectSse(`${resultUrl}/rounds/${roundId}/results/stream`, headers);
  clients.push(client);
  await client.waitForEvent(() => true);
  return client;
}

const flush = () => Promise.all(Object.values(telemetry).map((service) => service.forceFlush()));

const inTrace = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
const linksTo = (span: ReceivedSpan, spanId: string) =>
  span.links.some((link) => link.spanId === spanId);

describe('one vote, traced from its request to the event that showed it', () => {
  const traceId = newTraceId();
  const callerSpanId = newSpanId();
  let roundId: string;
  let requestId: string;

  beforeAll(async () => {
    ({ roundId } = await createRound());
    const stream = await watch(roundId);
    const answer = await castVote(roundId, { traceparent: traceparentOf(traceId, callerSpanId) });
    requestId = String(answer.headers['x-request-id']);
    await worker.loop.runOnce();
    await stream.waitForEvent(
      (event) => event.event === 'results' && event.json.results?.[0]?.votes === 1,
    );
    await flush();
    await receiver.waitFor(
      (spans) =>
        spans.some((span) => span.name === 'aggregate ballot_changes') &&
        spans.some((span) => span.name === 'stream event' && span.links.length > 0) &&
        spans.some((span) => span.traceId === traceId && span.name === 'vote streamed'),
    );
  });

  it('continues the caller’s traceparent in the vote’s server span, with its database spans', () => {
    const spans = inTrace(traceId);
    const server = spans.find((span) => span.name === 'POST /vote');
    expect(server, JSON.stringify(spans.map((span) => span.name))).toBeDefined();
    if (!server) return;
    expect(server.kind).toBe(SPAN_KIND.server);
    expect(server.parentSpanId).toBe(callerSpanId);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/vote',
      'url.path': '/vote',
      'http.response.status_code': 200,
    });
    const handler = spans.find((span) => span.parentSpanId === server.spanId);
    expect(handler?.name).toBe('handler /vote');
    const cast = spans.find((span) => span.name === 'cast_ballots_traced');
    expect(cast?.kind).toBe(SPAN_KIND.client);
    expect(cast?.parentSpanId).toBe(handler?.spanId);
    expect(cast?.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.query.summary': 'cast_ballots_traced',
      'db.namespace': new URL(db.url).pathname.slice(1),
      'server.address': '127.0.0.1',
    });
    // The statement, never its values.
    expect(String(cast?.attributes['db.query.text'])).toContain('$6::text[]');
  });

  it('names each service and the pod in the resource of its spans', () => {
    const services = new Set(receiver.spans.map((span) => span.resource['service.name']));
    expect(services).toEqual(new Set(['vote', 'worker', 'result']));
    for (const span of receiver.spans)
      expect(span.resource).toMatchObject({
        'service.namespace': 'voting',
        'service.version': '9.9.9',
        'k8s.pod.name': 'pod-1',
        'k8s.namespace.name': 'voting-test',
        'telemetry.sdk.language': 'nodejs',
      });
  });

  it('links the worker’s aggregation span to the vote it applied', () => {
    const handler = inTrace(traceId).find((span) => span.name === 'handler /vote');
    const aggregation = receiver.spans.find(
      (span) => span.name === 'aggregate ballot_changes' && linksTo(span, handler?.spanId ?? ''),
    );
    expect(aggregation).toBeDefined();
    if (!aggregation || !handler) return;
    expect(aggregation.resource['service.name']).toBe('worker');
    expect(aggregation.kind).toBe(SPAN_KIND.consumer);
    expect(aggregation.parentSpanId).toBe('');
    expect(aggregation.links.find((link) => link.spanId === handler.spanId)?.traceId).toBe(traceId);
    expect(aggregation.attributes).toMatchObject({
      'voting.changes': 1,
      'voting.links_dropped': 0,
    });
    const drain = receiver.spans.find((span) => span.parentSpanId === aggregation.spanId);
    expect(drain?.name).toBe('drain_ballot_changes_traced');
    expect(drain?.resource['service.name']).toBe('worker');
  });

  it('links the result’s stream-event span to the vote whose result reached the viewers', () => {
    const handler = inTrace(traceId).find((span) => span.name === 'handler /vote');
    const event = receiver.spans.find(
      (span) => span.name === 'stream event' && linksTo(span, handler?.spanId ?? ''),
    );
    expect(event).toBeDefined();
    if (!event) return;
    expect(event.resource['service.name']).toBe('result');
    expect(event.kind).toBe(SPAN_KIND.consumer);
    expect(event.attributes).toMatchObject({
      'voting.round_id': roundId,
      'voting.stream.news': true,
      'voting.stream.delivered': 1,
      'voting.results_hidden': false,
    });
    // The read that made the event is in its trace.
    const reads = receiver.spans.filter((span) => span.parentSpanId === event.spanId);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect(read.kind).toBe(SPAN_KIND.client);
      expect(read.resource['service.name']).toBe('result');
    }
  });

  it('shows in the vote’s own trace when it was counted and when it reached the viewers', () => {
    const handler = inTrace(traceId).find((span) => span.name === 'handler /vote');
    const counted = inTrace(traceId).find((span) => span.name === 'vote counted');
    const streamed = inTrace(traceId).find((span) => span.name === 'vote streamed');
    expect(counted?.parentSpanId).toBe(handler?.spanId);
    expect(counted?.resource['service.name']).toBe('worker');
    const aggregation = receiver.spans.find((span) => span.spanId === counted?.links[0]?.spanId);
    expect(aggregation?.name).toBe('aggregate ballot_changes');
    expect(streamed?.parentSpanId).toBe(handler?.spanId);
    expect(streamed?.resource['service.name']).toBe('result');
    expect(streamed?.attributes).toMatchObject({ 'voting.stream.delivered': 1 });
    const event = receiver.spans.find((span) => span.spanId === streamed?.links[0]?.spanId);
    expect(event?.name).toBe('stream event');
    // In time order: the vote, then its counting, then the event.
    const start = (span: ReceivedSpan | undefined) => span?.startTimeUnixNano ?? 0n;
    expect(start(counted) > start(handler)).toBe(true);
    expect(start(streamed) >= start(counted)).toBe(true);
  });

  it('writes the trace ids on every log line of the request', () => {
    const lines = voteLog.filter((line) => line.reqId === requestId);
    // At debug level: the incoming request, the completed request.
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    const server = inTrace(traceId).find((span) => span.name === 'POST /vote');
    for (const line of lines) {
      expect(line.trace_id, JSON.stringify(line)).toBe(traceId);
      expect(line.span_id).toBe(server?.spanId);
    }
  });

  it('names the trace in the duration histogram’s exemplar, in OpenMetrics only', async () => {
    const openMetrics = await scrapeMetrics(vote, 'openmetrics');
    const bucket = openMetrics
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('http_request_duration_seconds_bucket{') &&
          line.includes('route="/vote"') &&
          line.includes(`trace_id="${traceId}"`),
      );
    expect(bucket.length).toBe(1);
    expect(bucket[0]).toMatch(
      / # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} [\d.e-]+ [\d.]+$/,
    );
    expect(openMetrics.endsWith('# EOF\n')).toBe(true);
    // Counters keep their names in the classic text, before and after an OpenMetrics rendering.
    const classic = await scrapeMetrics(vote);
    expect(classic).not.toContain(traceId);
    expect(classic).toMatch(/^voting_votes_total\{/m);
    expect(openMetrics).toMatch(/^voting_votes_total\{/m);
    expect(openMetrics).toMatch(/^# TYPE voting_votes counter$/m);
  });

  it('answers OpenMetrics on the metrics port when the scraper asks for it', async () => {
    const server = createMetricsServer(registryOf(vote), createLogger('test', 'silent'));
    const port = await listenMetrics(server, 0, '127.0.0.1');
    try {
      const prometheusAccept =
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
      const asked = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { accept: prometheusAccept },
      });
      expect(asked.headers.get('content-type')).toBe(
        'application/openmetrics-text; version=1.0.0; charset=utf-8',
      );
      expect(await asked.text()).toContain(`trace_id="${traceId}"`);
      await new Promise((resolve) => setTimeout(resolve, 120));
      const plain = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await plain.text()).not.toContain('trace_id=');
    } finally {
      await closeMetrics(server);
    }
  });
});

describe('votes without a traceparent, and group commit', () => {
  it('starts a trace per vote, and every vote of a batch reaches its statement and the worker', async () => {
    const { roundId } = await createRound();
    await watch(roundId);
    const before = receiver.spans.length;
    // Concurrent votes go through group commit: some share a batch, written in the trace of
    // its first sampled vote and linked to the others'.
    await Promise.all(Array.from({ length: 8 }, () => castVote(roundId)));
    await worker.loop.runOnce();
    await flush();
    await receiver.waitFor((spans) =>
      spans.slice(before).some((span) => span.name === 'aggregate ballot_changes'),
    );
    const fresh = receiver.spans.slice(before);
    const handlers = fresh.filter((span) => span.name === 'handler /vote');
    expect(handlers).toHaveLength(8);
    expect(new Set(handlers.map((span) => span.traceId)).size).toBe(8);
    const casts = fresh.filter((span) => span.name === 'cast_ballots_traced');
    for (const handler of handlers) {
      const written = casts.some(
        (cast) => cast.parentSpanId === handler.spanId || linksTo(cast, handler.spanId),
      );
      expect(written, `vote ${handler.traceId} reaches its statement`).toBe(true);
    }
    const linked = fresh
      .filter((span) => span.name === 'aggregate ballot_changes')
      .flatMap((span) => span.links.map((link) => link.spanId));
    for (const handler of handlers) expect(linked).toContain(handler.spanId);
    // One change row per traced ballot: the worker applied 8 changes.
    const applied = await db.pool.query<{ ballots: number }>(
      'SELECT ballots FROM round_totals WHERE round_id = $1',
      [roundId],
    );
    expect(applied.rows[0]?.ballots).toBe(8);
  });

  it('links a revote’s changes too', async () => {
    const { roundId } = await createRound({ allow_revote: true });
    const traceId = newTraceId();
    const voter = randomUUID();
    await castVote(roundId, { 'x-voter-id': voter });
    await castVote(roundId, {
      'x-voter-id': voter,
      traceparent: traceparentOf(traceId, newSpanId()),
    });
    await worker.loop.runOnce();
    await flush();
    const handler = () => inTrace(traceId).find((span) => span.name === 'handler /vote');
    await receiver.waitFor(() => handler() !== undefined);
    await receiver.waitFor((spans) =>
      spans.some(
        (span) =>
          span.name === 'aggregate ballot_changes' && linksTo(span, handler()?.spanId ?? ''),
      ),
    );
    expect(inTrace(traceId).map((span) => span.name)).toContain('record_ballot_change_traced');
  });
});

describe('database spans', () => {
  it('reports a queued statement in its caller’s trace, not in that of who freed the connection', async () => {
    const tracer = telemetry.vote.tracer;
    if (!tracer) throw new Error('tracing is on in this file');
    const pool = createPool({ connectionString: db.url, max: 1, tracer });
    pools.push(pool);
    const holder = tracer.startSpan('holder');
    const waiter = tracer.startSpan('waiter');
    const held = await context.with(trace.setSpan(ROOT_CONTEXT, holder), () => pool.connect());
    // Both wait for the one connection: pg-pool calls them back from the release below.
    const untraced = context.with(ROOT_CONTEXT, () =>
      pool.query({ name: 'queued_untraced', text: 'SELECT 1' }),
    );
    const traced = context.with(trace.setSpan(ROOT_CONTEXT, waiter), () =>
      pool.query({ name: 'queued_traced', text: 'SELECT 2' }),
    );
    context.with(trace.setSpan(ROOT_CONTEXT, holder), () => held.release());
    await Promise.all([untraced, traced]);
    holder.end();
    waiter.end();
    await flush();
    await receiver.waitFor((spans) => spans.some((span) => span.name === 'queued_traced'));
    expect(receiver.spans.filter((span) => span.name === 'queued_untraced')).toEqual([]);
    const span = receiver.spans.find((received) => received.name === 'queued_traced');
    expect(span?.parentSpanId).toBe(waiter.spanContext().spanId);
    expect(span?.traceId).toBe(waiter.spanContext().traceId);
  });

  it('records a failed statement’s SQLSTATE, never its message', async () => {
    const tracer = telemetry.vote.tracer;
    if (!tracer) throw new Error('tracing is on in this file');
    const pool = pools[0] as Pool;
    const parent = tracer.startSpan('failing');
    await context
      .with(trace.setSpan(ROOT_CONTEXT, parent), () =>
        pool.query({ name: 'bad_uuid', text: 'SELECT $1::uuid', values: ['not-a-uuid-secret'] }),
      )
      .catch(() => undefined);
    parent.end();
    await flush();
    await receiver.waitFor((spans) => spans.some((span) => span.name === 'bad_uuid'));
    const failed = receiver.spans.find((span) => span.name === 'bad_uuid');
    expect(failed?.statusCode).toBe(2);
    expect(failed?.attributes).toMatchObject({
      'error.type': '22P02',
      'db.response.status_code': '22P02',
    });
    expect(JSON.stringify(failed?.attributes)).not.toContain('not-a-uuid-secret');
    expect(failed?.statusMessage).toBe('');
  });
});

describe('a round whose results are hidden until close (invariant 8)', () => {
  it('keeps its votes and its name out of the stream-event spans', async () => {
    const { roundId, adminToken } = await createRound({ results: 'after_close' });
    const admin = await watch(roundId, { authorization: `Bearer ${adminToken}` });
    const traceId = newTraceId();
    const before = receiver.spans.length;
    await castVote(roundId, { traceparent: traceparentOf(traceId, newSpanId()) });
    await worker.loop.runOnce();
    await admin.waitForEvent(
      (event) => event.event === 'results' && event.json.results?.[0]?.votes === 1,
    );
    await flush();
    const handler = () => inTrace(traceId).find((span) => span.name === 'handler /vote');
    // The worker's own span may link to it: it names no round.
    await receiver.waitFor((spans) =>
      spans.some(
        (span) =>
          span.name === 'aggregate ballot_changes' && linksTo(span, handler()?.spanId ?? ''),
      ),
    );
    await receiver.waitFor((spans) =>
      spans.slice(before).some((span) => span.name === 'stream event'),
    );
    expect(inTrace(traceId).map((span) => span.name)).not.toContain('vote streamed');
    const events = receiver.spans.slice(before).filter((span) => span.name === 'stream event');
    for (const event of events) {
      expect(event.links).toEqual([]);
      expect(event.attributes['voting.results_hidden']).toBe(true);
      expect(event.attributes).not.toHaveProperty('voting.round_id');
    }
    for (const span of receiver.spans.slice(before)) {
      const text = JSON.stringify({ ...span.attributes, name: span.name, events: span.events });
      expect(text).not.toContain(roundId);
      expect(text).not.toContain(adminToken);
    }
  });
});

describe('what spans never carry', () => {
  it('records no receipt, token, voter id or ballot of a request', async () => {
    const { roundId, adminToken } = await createRound();
    const voter = `voter-${randomUUID()}`;
    const traceId = newTraceId();
    const answer = await castVote(roundId, {
      'x-voter-id': voter,
      traceparent: traceparentOf(traceId, newSpanId()),
    });
    const receipt = answer.json().receipt as string;
    const receiptTrace = newTraceId();
    await vote.inject({
      method: 'GET',
      url: `/rounds/${roundId}/receipts/${receipt}`,
      headers: { traceparent: traceparentOf(receiptTrace, newSpanId()) },
    });
    // A refused ballot: its message names the option, which no span repeats. A number no random
    // hex id of the spans will hold by chance (987 did: span id 747d8b00549871cd).
    const refusedTrace = newTraceId();
    const refused = await vote.inject({
      method: 'POST',
      url: '/vote',
      payload: { round_id: roundId, option_id: 987_654_321 },
      headers: { traceparent: traceparentOf(refusedTrace, newSpanId()) },
    });
    expect(refused.statusCode).toBe(404);
    await flush();
    await receiver.waitFor(
      () => inTrace(refusedTrace).length >= 2 && inTrace(receiptTrace).length > 0,
    );
    const spans = [...inTrace(traceId), ...inTrace(receiptTrace), ...inTrace(refusedTrace)];
    const text = JSON.stringify(
      spans.map((span) => ({ ...span, startTimeUnixNano: 0, endTimeUnixNano: 0 })),
    );
    for (const secret of [receipt, adminToken, voter, '987654321'])
      expect(text).not.toContain(secret);
    const receiptSpan = inTrace(receiptTrace).find((span) => span.kind === SPAN_KIND.server);
    expect(receiptSpan?.attributes['url.path']).toBe(`/rounds/${roundId}/receipts/…`);
  });
});
