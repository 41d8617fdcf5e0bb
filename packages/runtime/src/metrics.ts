import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One registry per running app (not the global one), so tests can build many apps in a process. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Longest label value a series carries, in UTF-16 code units (JavaScript's `length`): round names
 * and option labels are cut to it, ending in "…". With Prometheus' escaping (`\\`, `\"`, `\n`)
 * a value is then at most 192 bytes of UTF-8 (64 × 3), whatever the API accepted (200 chars).
 */
export const METRIC_LABEL_MAX_LENGTH = 64;

/**
 * A label value bounded in length and safe to expose: cut to METRIC_LABEL_MAX_LENGTH (never
 * through a surrogate pair), control characters turned into spaces, lone surrogates into U+FFFD.
 */
export function boundedLabel(value: string, maxLength = METRIC_LABEL_MAX_LENGTH): string {
  let bounded = value;
  if (bounded.length > maxLength) {
    let end = maxLength - 1;
    const last = bounded.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    bounded = `${bounded.slice(0, end)}…`;
  }
  return bounded.replace(controlCharacters, ' ').replace(loneSurrogates, '\ufffd');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const controlCharacters = /[\u0000-\u001f\u007f]/g;
const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

type HttpLabels = Partial<Record<'method' | 'route' | 'status_code', string>>;

/**
 * The method label of the duration histogram: HEAD counts as GET (the same handler, without the
 * body), and methods other than these (WebDAV, made up) as OTHER.
 */
const methodLabels = new Map([
  ['GET', 'GET'],
  ['HEAD', 'GET'],
  ['POST', 'POST'],
  ['PUT', 'PUT'],
  ['PATCH', 'PATCH'],
  ['DELETE', 'DELETE'],
  ['OPTIONS', 'OPTIONS'],
]);

export function createHttpDurationHistogram(registry: Registry) {
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status code',
    labelNames: ['method', 'route', 'status_code'],
    // Votes answer in about a millisecond; the tail buckets catch database stalls.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // Series are per (method, route template, status), 15 lines (~1.8 KB) each: bounded by the
  // routes, except that a client picks the method (~35 parse) and Fastify adds a HEAD to every
  // GET route. Folding HEAD into GET and the unusual methods into OTHER halves what a client can
  // add to the exposition (docs/performance.md, "Metrics").
  const observe = histogram.observe.bind(histogram) as (labels: HttpLabels, value: number) => void;
  histogram.observe = ((labels: HttpLabels, value: number) => {
    const method = methodLabels.get(labels.method ?? '') ?? 'OTHER';
    observe(method === labels.method ? labels : { ...labels, method }, value);
  }) as typeof histogram.observe;
  return histogram;
}

/**
 * Keeps round-labelled series bounded: at most `maxRounds` rounds have series at once (the least
 * recently active go first), and a closed round's series are dropped `closedTtlMs` after its close.
 * So the series count is at most maxRounds × (options per round + 1). `touch` runs on every
 * accepted vote, so it looks only at closed rounds for expiry: scanning every tracked round cost
 * 3.8 µs per vote at the default 200 rounds and 158 µs at the 10,000 allowed.
 */
export class RoundSeriesBound {
  /** Each tracked round's `remove`; Map order is activity order, so the first is the stalest. */
  readonly #rounds = new Map<string, () => void>();
  /** When each tracked round that has closed was closed. */
  readonly #closedAt = new Map<string, number>();

  constructor(
    private readonly maxRounds: number,
    private readonly closedTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Marks a round active; `remove` drops every series of that round when it is evicted. */
  touch(roundId: string, remove: () => void): void {
    this.#rounds.delete(roundId);
    this.#rounds.set(roundId, remove);
    this.#evict();
  }

  closed(roundId: string): void {
    if (this.#rounds.has(roundId) && !this.#closedAt.has(roundId))
      this.#closedAt.set(roundId, this.now());
    this.#evict();
  }

  /** Drops a round's series now (a deleted round). */
  forget(roundId: string): void {
    this.#drop(roundId);
  }

  get size(): number {
    return this.#rounds.size;
  }

  #evict(): void {
    if (this.#closedAt.size > 0) {
      const now = this.now();
      for (const [roundId, closedAt] of this.#closedAt) {
        if (now - closedAt >= this.closedTtlMs) this.#drop(roundId);
      }
    }
    for (const roundId of this.#rounds.keys()) {
      if (this.#rounds.size <= this.maxRounds) break;
      this.#drop(roundId);
    }
  }

  #drop(roundId: string): void {
    this.#rounds.get(roundId)?.();
    this.#rounds.delete(roundId);
    this.#closedAt.delete(roundId);
  }
}
