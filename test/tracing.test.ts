/**
 * Tracing (docs/observability.md): a vote through the real services (support/traced-system.ts:
 * vote, worker and result in-process, exporting to an in-test OTLP receiver) produces the request
 * and database spans, the worker's aggregation span and the result's stream-event span, linked
 * across the asynchronous hop; an incoming `traceparent` is continued; the request's log lines and
 * the duration histogram's exemplar name its trace. More votes, database spans, hidden rounds and
 * what spans never carry: tracing-spans.test.ts.
 */
import { createLogger } from '@voting/runtime';
import {
  closeMetrics,
  createMetricsServer,
  listenMetrics,
  registryOf,
  scrapeMetrics,
} from '@voting/service';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ReceivedSpan, SPAN_KIND } from './support/otlp-receiver.ts';
import {
  castVote,
  createRound,
  db,
  flush,
  inTrace,
  linksTo,
  newSpanId,
  newTraceId,
  receiver,
  traceparentOf,
  useTracedSystem,
  vote,
  voteLog,
  watch,
  worker,
} from './support/traced-system.ts';

useTracedSystem();

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
