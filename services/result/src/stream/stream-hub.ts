import {
  context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { type FullResult, type ResultReader, RoundSchema } from '@voting/api';
import { linksTo, MAX_TRACE_LINKS, parseRoundChanged } from '@voting/db';
import { mayReadResults } from '@voting/domain';
import type { Logger } from '@voting/runtime';
import type { StreamMetrics } from '../metrics.ts';

export interface Subscriber {
  /** Whether this subscriber may see results hidden until close (holds the admin token). */
  isAdmin: boolean;
  send: (event: StreamEvent) => void;
}

export interface StreamEvent {
  id: string;
  event: 'results' | 'hidden';
  data: unknown;
  /**
   * The event as SSE bytes, encoded once per event rather than once per client: a broadcast is
   * one write of the same buffer to each client's socket.
   */
  frame: Buffer;
}

/** The stream-event span of a read under way, with the votes it links to. */
interface EventSpan {
  span: Span;
  links: Link[];
  started: number;
}

/**
 * Fans one read of a round's result out to every subscriber of that round on this replica, so the
 * database work per change does not grow with the number of watching clients. A round has at
 * most one read in flight: clients connecting meanwhile wait for it instead of reading again
 * (200 browsers reconnecting at once cost one read), and changes that arrive during it are folded
 * into one more read after it. Reads are never concurrent, so an older snapshot can never
 * overwrite a newer one. A read whose figures equal the last ones sends nothing: the worker's drain
 * of a change the last read already counted (as pending) is not news.
 */
export class StreamHub {
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  readonly #reading = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  readonly #latest = new Map<string, { events: StreamEvent[]; figures: string }>();
  /** The id of the last event each subscriber has (sent, or named by its Last-Event-ID). */
  readonly #lastSent = new WeakMap<Subscriber, string>();
  /**
   * Traced: per watched round, the traceparents of the votes the next read carries out (from the
   * worker's notifications), at most MAX_TRACE_LINKS.
   */
  readonly #traceparents = new Map<string, string[]>();

  constructor(
    private readonly reader: ResultReader,
    /** The stream metrics, which the route counts refusals in too. */
    readonly metrics: StreamMetrics,
    private readonly logger: Logger,
    /** The service's tracer when tracing is on (docs/observability.md). */
    private readonly tracer?: Tracer,
  ) {}

  /**
   * A `round_changed` notification: `<round id>` (read the round, `changed`) or, from a traced
   * worker, `<round id> <traceparent> …` just before it, naming the votes that change carries out:
   * kept for the stream-event span of the read that follows, nothing read.
   */
  notified(payload: string): void {
    const { roundId, traceparents } = parseRoundChanged(payload);
    if (!roundId) return;
    if (traceparents.length === 0) this.changed(roundId);
    else if (this.tracer && (this.#subscribers.has(roundId) || this.#reading.has(roundId))) {
      const kept = this.#traceparents.get(roundId) ?? [];
      for (const traceparent of traceparents)
        if (kept.length < MAX_TRACE_LINKS) kept.push(traceparent);
      this.#traceparents.set(roundId, kept);
    }
  }

  /** Adds a subscriber and sends it the current result at once (unless it already has it). */
  async subscribe(
    roundId: string,
    subscriber: Subscriber,
    lastEventId: string | undefined,
  ): Promise<() => void> {
    let subscribers = this.#subscribers.get(roundId);
    if (!subscribers) {
      subscribers = new Set();
      this.#subscribers.set(roundId, subscribers);
    }
    subscribers.add(subscriber);
    if (lastEventId !== undefined) this.#lastSent.set(subscriber, lastEventId);
    this.metrics.clients.inc();
    if (!this.#latest.has(roundId)) await (this.#reading.get(roundId) ?? this.#startRead(roundId));
    const current = this.#eventFor(roundId, subscriber);
    if (current) this.#deliver(subscriber, current);
    return () => this.#unsubscribe(roundId, subscriber);
  }

  /** A change notification: read the round once, if anyone here watches it. */
  changed(roundId: string): void {
    // Checked before the subscribers: a client may join the read under way (which may predate
    // this change) after the last one left, and must then get the change too.
    if (this.#reading.has(roundId)) {
      this.#again.add(roundId);
      return;
    }
    if (!this.#subscribers.has(roundId)) return;
    void this.#startRead(roundId, true);
  }

  /** After the listener lost notifications: re-read every watched round. */
  refreshAll(): void {
    for (const roundId of this.#subscribers.keys()) this.changed(roundId);
  }

  #startRead(roundId: string, change = false): Promise<void> {
    const event = change ? this.#startEventSpan(roundId) : undefined;
    const read = event
      ? context.with(trace.setSpan(ROOT_CONTEXT, event.span), () => this.#read(roundId))
      : this.#read(roundId);
    const reading = read
      .then((news) => {
        const delivered = news ? this.#broadcast(roundId) : 0;
        if (event) this.#endEventSpan(event, roundId, news, delivered);
      })
      .finally(() => {
        this.#reading.delete(roundId);
        if (this.#again.delete(roundId)) this.changed(roundId);
      });
    this.#reading.set(roundId, reading);
    return reading;
  }

  /**
   * The stream-event span of a change's read and broadcast: `stream event`, a CONSUMER root span
   * (it answers a notification), linked to the votes that change carries out, with the read's
   * statements as children. Its sampler keeps it whenever it links to a sampled vote.
   */
  #startEventSpan(roundId: string): EventSpan | undefined {
    if (!this.tracer) return undefined;
    const links = linksTo(this.#traceparents.get(roundId) ?? []);
    this.#traceparents.delete(roundId);
    const span = this.tracer.startSpan('stream event', {
      root: true,
      kind: SpanKind.CONSUMER,
      links,
    });
    return { span, links, started: performance.now() };
  }

  /**
   * What the span says once the event went out: whether the figures changed and to how many
   * subscribers they went, and the round, unless its results are hidden from the public: then
   * its spans name no round, so their number (one per drain that changed it) says nothing of its
   * turnout either (invariant 8), and the worker sent no votes' traceparents for it.
   */
  #endEventSpan(
    { span, links, started }: EventSpan,
    roundId: string,
    news: boolean,
    delivered: number,
  ): void {
    // Not known to be public (never read, or read hidden): named as hidden.
    const latest = this.#latest.get(roundId);
    const hidden = latest === undefined || latest.events.length > 1;
    const attributes = { 'voting.stream.news': news, 'voting.stream.delivered': delivered };
    span.setAttributes({ ...attributes, 'voting.results_hidden': hidden });
    if (!hidden) span.setAttribute('voting.round_id', roundId);
    span.end();
    if (!this.tracer || hidden) return;
    // And in each linked vote's own trace, a span of the moment its result went to the viewers,
    // linking back (trace views show links on the span that has them, not on their target).
    const ended = performance.now();
    for (const link of links)
      this.tracer
        .startSpan(
          'vote streamed',
          { startTime: started, attributes, links: [{ context: span.spanContext() }] },
          trace.setSpanContext(ROOT_CONTEXT, link.context),
        )
        .end(ended);
  }

  /** Reads the round; true when its figures differ from the last ones read. */
  async #read(roundId: string): Promise<boolean> {
    this.metrics.reads.inc();
    try {
      const result = await this.reader.full(roundId, undefined, { ignoreVisibility: true });
      // Everyone left while this read was under way: keep nothing that could go stale.
      if (!this.#subscribers.has(roundId)) return false;
      const { as_of: _asOf, ...rest } = result;
      const figures = JSON.stringify(rest);
      if (this.#latest.get(roundId)?.figures === figures) return false;
      this.#latest.set(roundId, { events: eventsFor(result), figures });
      return true;
    } catch (err) {
      this.logger.warn({ err, roundId }, 'stream read failed');
      return false;
    }
  }

  #broadcast(roundId: string): number {
    let delivered = 0;
    for (const subscriber of this.#subscribers.get(roundId) ?? []) {
      const event = this.#eventFor(roundId, subscriber);
      if (event && this.#send(subscriber, event)) delivered++;
    }
    // Counted once per broadcast, not once per client: at 10,000 clients the counter's own cost
    // was a visible share of the fan-out.
    this.metrics.events.inc(delivered);
    return delivered;
  }

  #eventFor(roundId: string, subscriber: Subscriber): StreamEvent | undefined {
    const [full, hidden] = this.#latest.get(roundId)?.events ?? [];
    return subscriber.isAdmin || !hidden ? full : hidden;
  }

  /** Sends the event unless this subscriber already has it. */
  #deliver(subscriber: Subscriber, event: StreamEvent): void {
    if (this.#send(subscriber, event)) this.metrics.events.inc();
  }

  /** Sends the event unless this subscriber already has it; whether it sent. */
  #send(subscriber: Subscriber, event: StreamEvent): boolean {
    if (this.#lastSent.get(subscriber) === event.id) return false;
    this.#lastSent.set(subscriber, event.id);
    subscriber.send(event);
    return true;
  }

  #unsubscribe(roundId: string, subscriber: Subscriber): void {
    const subscribers = this.#subscribers.get(roundId);
    if (!subscribers?.delete(subscriber)) return;
    this.metrics.clients.dec();
    if (subscribers.size === 0) {
      this.#subscribers.delete(roundId);
      this.#latest.delete(roundId);
      this.#traceparents.delete(roundId);
    }
  }
}

/**
 * The event for admins, and for everyone else either the same or, while the round hides its
 * results, one that says only that. The id of a results event is the moment its figures are
 * exact for, so a client that resumes with Last-Event-ID is sent the current result only if it
 * has not seen it. A hidden event carries the round's state and nothing that moves with ballots
 * (no figures, no `as_of`), and its id is that state: each read of a hidden round makes the same
 * event, which `#deliver` does not send twice, so the public stream of a hidden round changes
 * only with its state (open, closed, final) and a watcher learns nothing of the turnout.
 */
const ROUND_FIELDS = Object.keys(RoundSchema.properties) as (keyof typeof RoundSchema.properties)[];

function eventsFor(result: FullResult): StreamEvent[] {
  const full = streamEvent(`${Date.parse(result.as_of)}`, 'results', result);
  const disclosure = {
    resultsVisibility: result.results_visibility,
    publicBallots: result.public_ballots,
  };
  if (mayReadResults(disclosure, result.status === 'closed', { isAdmin: false })) return [full];
  // Only what describes the round is kept, named field by field: a figure added to results later
  // stays out of the hidden event by default.
  const round = {
    ...Object.fromEntries(ROUND_FIELDS.map((field) => [field, result[field]])),
    final: result.final,
  };
  const state = `${result.status}${result.final ? '-final' : ''}`;
  return [full, streamEvent(`hidden-${state}`, 'hidden', round)];
}

function streamEvent(id: string, event: StreamEvent['event'], data: unknown): StreamEvent {
  return {
    id,
    event,
    data,
    frame: Buffer.from(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
  };
}
