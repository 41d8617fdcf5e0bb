import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { FullResult, ResultReader } from '@voting/api';
import { createLogger, createRegistry } from '@voting/runtime';
import { describe, expect, it } from 'vitest';
import { createStreamMetrics } from '../metrics.ts';
import { type StreamEvent, StreamHub } from './stream-hub.ts';

const ROUND = '00000000-0000-4000-8000-000000000001';

/** A result whose figures are `total` ballots, exact as of `at` ms. */
function resultOf(total: number, at: number, visibility: 'live' | 'after_close' = 'live') {
  return {
    round_id: ROUND,
    status: 'open',
    results_visibility: visibility,
    total_ballots: total,
    // An invited round's turnout: figures like the others.
    eligible: total + 2,
    voted: total,
    results: [{ option_id: 1, label: 'A', votes: total, share: total ? 1 : 0 }],
    as_of: new Date(at).toISOString(),
    final: false,
  } as unknown as FullResult;
}

/** A reader whose reads the test answers one by one, in any order. */
function controlledReader() {
  const pending: { resolve: (result: FullResult) => void }[] = [];
  const reader = {
    full: () =>
      new Promise<FullResult>((resolve) => {
        pending.push({ resolve });
      }),
  } as unknown as ResultReader;
  return { reader, pending };
}

function hubWith(reader: ResultReader, tracer?: ConstructorParameters<typeof StreamHub>[3]) {
  const registry = createRegistry('result-test');
  const metrics = createStreamMetrics(registry);
  const hub = new StreamHub(reader, metrics, createLogger('test', 'silent'), tracer);
  const reads = async () => (await metrics.reads.get()).values[0]?.value ?? 0;
  return { hub, reads };
}

function subscriber(isAdmin = false) {
  const received: StreamEvent[] = [];
  return { received, isAdmin, send: (event: StreamEvent) => received.push(event) };
}

// One turn of the event loop, not a sleep: the fake reader's reads settle only when a test
// resolves them, so after a turn the hub has done all it can do, and what did NOT happen (no
// second read, no event) is as much the point as what did.
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('StreamHub', () => {
  it('serves clients that connect during a read from that one read', async () => {
    const { reader, pending } = controlledReader();
    const { hub, reads } = hubWith(reader);
    const clients = Array.from({ length: 50 }, () => subscriber());
    const subscribed = clients.map((client) => hub.subscribe(ROUND, client, undefined));
    await tick();
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(resultOf(3, 1000));
    await Promise.all(subscribed);
    expect(await reads()).toBe(1);
    for (const client of clients)
      expect(client.received.map((event) => event.id)).toEqual(['1000']);
  });

  it('never lets an older read overwrite a newer one (a change during the first read)', async () => {
    const { reader, pending } = controlledReader();
    const { hub } = hubWith(reader);
    const client = subscriber();
    const subscribed = hub.subscribe(ROUND, client, undefined);
    await tick();
    hub.changed(ROUND); // the change may postdate the read under way: one more read must follow
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(resultOf(1, 1000));
    await subscribed;
    await tick();
    expect(pending).toHaveLength(2);
    pending[1]?.resolve(resultOf(2, 2000));
    await tick();
    await tick();
    expect(client.received.map((event) => (event.data as FullResult).total_ballots)).toEqual([
      1, 2,
    ]);
    // A later client starts from the newest figures.
    const late = subscriber();
    await hub.subscribe(ROUND, late, undefined);
    expect(late.received[0]?.data).toMatchObject({ total_ballots: 2 });
  });

  it('keeps nothing read for a round whose last client left during the read', async () => {
    const { reader, pending } = controlledReader();
    const { hub } = hubWith(reader);
    const first = subscriber();
    const subscribed = hub.subscribe(ROUND, first, undefined);
    await tick();
    pending[0]?.resolve(resultOf(1, 1000));
    const unsubscribe = await subscribed;
    hub.changed(ROUND);
    unsubscribe(); // leaves while the change's read is under way
    pending[1]?.resolve(resultOf(2, 2000));
    await tick();
    await tick();
    // Much later a new client comes: it must get a fresh read, not the one kept from before.
    const next = subscriber();
    const again = hub.subscribe(ROUND, next, undefined);
    await tick();
    expect(pending).toHaveLength(3);
    pending[2]?.resolve(resultOf(7, 9000));
    await again;
    expect(next.received[0]?.data).toMatchObject({ total_ballots: 7 });
  });

  it('sends nothing when a re-read finds the same figures, and honours Last-Event-ID', async () => {
    const { reader, pending } = controlledReader();
    const { hub } = hubWith(reader);
    const client = subscriber();
    const subscribed = hub.subscribe(ROUND, client, undefined);
    await tick();
    pending[0]?.resolve(resultOf(4, 1000));
    await subscribed;
    hub.changed(ROUND);
    pending[1]?.resolve(resultOf(4, 1500)); // e.g. the drain of a change already counted
    await tick();
    await tick();
    expect(client.received.map((event) => event.id)).toEqual(['1000']);

    const resumed = subscriber();
    await hub.subscribe(ROUND, resumed, '1000');
    expect(resumed.received).toEqual([]);
    const behind = subscriber();
    await hub.subscribe(ROUND, behind, '999');
    expect(behind.received.map((event) => event.id)).toEqual(['1000']);
  });

  it('sends hidden events to the public and results to admins while results are hidden', async () => {
    const { reader, pending } = controlledReader();
    const { hub } = hubWith(reader);
    const visitor = subscriber();
    const admin = subscriber(true);
    const subscribed = [
      hub.subscribe(ROUND, visitor, undefined),
      hub.subscribe(ROUND, admin, undefined),
    ];
    await tick();
    for (const read of pending) read.resolve(resultOf(5, 1000, 'after_close'));
    await Promise.all(subscribed);
    expect(visitor.received).toMatchObject([{ event: 'hidden', id: 'hidden-open' }]);
    for (const figure of ['results', 'as_of', 'total_ballots', 'eligible', 'voted'])
      expect(visitor.received[0]?.data).not.toHaveProperty(figure);
    expect(visitor.received[0]?.data).toMatchObject({ round_id: ROUND, status: 'open' });
    expect(admin.received).toMatchObject([{ event: 'results', id: '1000' }]);
  });

  it('sends the public one event per state of a hidden round, never one per ballot', async () => {
    const { reader, pending } = controlledReader();
    const { hub } = hubWith(reader);
    const visitor = subscriber();
    const admin = subscriber(true);
    const subscribed = [
      hub.subscribe(ROUND, visitor, undefined),
      hub.subscribe(ROUND, admin, undefined),
    ];
    await tick();
    pending[0]?.resolve(resultOf(1, 1000, 'after_close'));
    await Promise.all(subscribed);
    for (let ballots = 2; ballots <= 10; ballots++) {
      hub.changed(ROUND);
      await tick();
      pending.at(-1)?.resolve(resultOf(ballots, ballots * 1000, 'after_close'));
      await tick();
    }
    // The admin saw every change; the visitor only that the round is open and hidden.
    expect(admin.received).toHaveLength(10);
    expect(visitor.received.map((event) => event.id)).toEqual(['hidden-open']);
    // A visitor that comes back with the id it has is sent nothing new.
    const resumed = subscriber();
    await hub.subscribe(ROUND, resumed, 'hidden-open');
    expect(resumed.received).toEqual([]);

    // The close is news for everyone: the results are public from then on.
    hub.changed(ROUND);
    await tick();
    const closed = { ...resultOf(10, 11_000, 'after_close'), status: 'closed' } as FullResult;
    pending.at(-1)?.resolve(closed);
    await tick();
    expect(visitor.received.map((event) => event.event)).toEqual(['hidden', 'results']);
    expect(visitor.received[1]?.data).toMatchObject({ status: 'closed', total_ballots: 10 });
  });
});

describe('StreamHub, traced (docs/observability.md)', () => {
  const traceparent = (n: number) => `00-${'a'.repeat(31)}${n}-${'b'.repeat(15)}${n}-01`;

  function tracedHub(reader: ResultReader) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    return { ...hubWith(reader, provider.getTracer('test')), exporter };
  }

  it('links the event of a change to the votes the worker named, folded into one read', async () => {
    const { reader, pending } = controlledReader();
    const { hub, exporter } = tracedHub(reader);
    const client = subscriber();
    const subscribed = hub.subscribe(ROUND, client, undefined);
    await tick();
    pending[0]?.resolve(resultOf(0, 1000));
    await subscribed;
    // Two drains announce before the hub reads: their votes go to the one read that follows.
    hub.notified(`${ROUND} ${traceparent(1)}`);
    hub.notified(`${ROUND} ${traceparent(2)}`);
    hub.notified(ROUND);
    hub.notified(ROUND);
    expect(pending).toHaveLength(2);
    pending[1]?.resolve(resultOf(2, 2000));
    await tick();
    await tick();
    pending[2]?.resolve(resultOf(2, 2000));
    await tick();
    await tick();
    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'stream event');
    expect(spans).toHaveLength(2);
    expect(spans[0]?.links.map((link) => link.context.spanId)).toEqual([
      `${'b'.repeat(15)}1`,
      `${'b'.repeat(15)}2`,
    ]);
    expect(spans[0]?.attributes).toMatchObject({
      'voting.round_id': ROUND,
      'voting.stream.news': true,
      'voting.stream.delivered': 1,
    });
    // The second read found nothing new, and carried no vote.
    expect(spans[1]?.links).toEqual([]);
    expect(spans[1]?.attributes).toMatchObject({ 'voting.stream.news': false });
    // Each vote's own trace gets a span of the moment, linking back to the event.
    const streamed = exporter.getFinishedSpans().filter((span) => span.name === 'vote streamed');
    expect(streamed.map((span) => span.parentSpanContext?.spanId)).toEqual([
      `${'b'.repeat(15)}1`,
      `${'b'.repeat(15)}2`,
    ]);
    for (const span of streamed) {
      expect(span.spanContext().traceId).toBe(
        `${'a'.repeat(31)}${span.parentSpanContext?.spanId.at(-1)}`,
      );
      expect(span.links.map((link) => link.context.spanId)).toEqual([
        spans[0]?.spanContext().spanId,
      ]);
    }
  });

  it('keeps nothing for a round nobody watches, and names no hidden round', async () => {
    const { reader, pending } = controlledReader();
    const { hub, exporter } = tracedHub(reader);
    hub.notified(`${ROUND} ${traceparent(1)}`);
    hub.notified(ROUND);
    expect(pending).toHaveLength(0);
    const admin = subscriber(true);
    const subscribed = hub.subscribe(ROUND, admin, undefined);
    await tick();
    pending[0]?.resolve(resultOf(0, 1000, 'after_close'));
    await subscribed;
    hub.notified(ROUND);
    pending[1]?.resolve(resultOf(1, 2000, 'after_close'));
    await tick();
    await tick();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['stream event']);
    const [span] = exporter.getFinishedSpans();
    expect(span?.links).toEqual([]);
    expect(span?.attributes['voting.results_hidden']).toBe(true);
    expect(span?.attributes).not.toHaveProperty('voting.round_id');
  });
});
