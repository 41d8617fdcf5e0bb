/**
 * Tracing of many votes and of the database (docs/observability.md): votes without a
 * traceparent and group commit, revotes, database spans of queued and failed statements, hidden
 * rounds (invariant 8) and what spans never carry. The harness: support/traced-system.ts.
 */
import { randomUUID } from 'node:crypto';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { createPool, type Pool } from '@voting/db';
import { describe, expect, it } from 'vitest';
import { SPAN_KIND } from './support/otlp-receiver.ts';
import {
  castVote,
  createRound,
  db,
  flush,
  inTrace,
  linksTo,
  newSpanId,
  newTraceId,
  pools,
  receiver,
  telemetry,
  traceparentOf,
  useTracedSystem,
  vote,
  watch,
  worker,
} from './support/traced-system.ts';

useTracedSystem();

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
