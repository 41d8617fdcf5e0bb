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

/** What an exemplar of the duration histogram names: the request's trace (OpenMetrics only). */
export type Exemplar = Record<string, string>;

export interface HttpDurationHistogram {
  histogram: Histogram<'method' | 'route' | 'status_code'>;
  /** Observes one request; `exemplar` (tracing on, the request sampled) names its trace. */
  observe: (labels: HttpLabels, seconds: number, exemplar?: Exemplar) => void;
}

/**
 * The request duration histogram. With `exemplars` (tracing on) each bucket keeps the trace of the
 * last sampled request that fell in it, shown in the OpenMetrics exposition (`renderMetrics`), so a
 * dashboard goes from a slow bucket to a trace; without, it is the plain histogram it always was.
 */
export function createHttpDurationHistogram(
  registry: Registry,
  options: { exemplars?: boolean } = {},
): HttpDurationHistogram {
  const exemplars = options.exemplars === true;
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    // Votes answer in about a millisecond; the tail buckets catch database stalls.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    // Registered below: prom-client refuses exemplars on a registry made for the classic text,
    // which this one is (renderMetrics renders it as OpenMetrics when asked).
    registers: [],
    enableExemplars: exemplars,
  });
  registry.registerMetric(histogram);
  // Series are per (method, route template, status), 15 lines (~1.8 KB) each: bounded by the
  // routes, except that a client picks the method (~35 parse) and Fastify adds a HEAD to every
  // GET route. Folding HEAD into GET and the unusual methods into OTHER halves what a client can
  // add to the exposition (docs/performance.md, "Metrics").
  const labelsOf = (labels: HttpLabels) => {
    const method = methodLabels.get(labels.method ?? '') ?? 'OTHER';
    return method === labels.method ? labels : { ...labels, method };
  };
  const observe = exemplars
    ? (labels: HttpLabels, seconds: number, exemplar?: Exemplar) =>
        histogram.observe({ labels: labelsOf(labels), value: seconds, exemplarLabels: exemplar })
    : (labels: HttpLabels, seconds: number) => histogram.observe(labelsOf(labels), seconds);
  return { histogram, observe };
}

export type MetricsFormat = 'prometheus' | 'openmetrics';

/** The content type of each exposition format. */
export const METRICS_CONTENT_TYPES: Record<MetricsFormat, string> = {
  prometheus: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

/**
 * Whether a scraper's `Accept` asks for OpenMetrics (as Prometheus does, `application/openmetrics-
 * text;version=1.0.0,…;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`): it names it with a
 * quality above zero and at least that of `text/plain`. Anything else gets the classic text.
 */
export function acceptsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let openMetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (!(quality > 0)) continue;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, quality);
    else if (type === 'text/plain') text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text;
}

/** Per registry, the rendering under way: renderings of one registry never overlap. */
const renderingOf = new WeakMap<Registry, Promise<unknown>>();

/**
 * A registry's exposition in either format. prom-client renders a registry in the format it was
 * made for, and its OpenMetrics rendering renames every counter in place (`voting_votes_total`
 * becomes `voting_votes` while it runs, for the `_total` it then appends). So the classic
 * registry is switched to OpenMetrics for the one rendering and the names are put back after,
 * and renderings of one registry wait for each other: a classic one never sees the renamed
 * counters. Everything that renders a registry goes through here (the metrics port, the tests).
 */
export function renderMetrics(registry: Registry, format: MetricsFormat): Promise<string> {
  const previous = renderingOf.get(registry) ?? Promise.resolve();
  const rendering = previous.then(
    () => renderNow(registry, format),
    () => renderNow(registry, format),
  );
  renderingOf.set(
    registry,
    rendering.catch(() => undefined),
  );
  return rendering;
}

async function renderNow(registry: Registry, format: MetricsFormat): Promise<string> {
  if (format === 'prometheus') return registry.metrics();
  const names = registry.getMetricsAsArray().map((metric) => [metric, metric.name] as const);
  const switchable = registry as unknown as { setContentType: (type: string) => void };
  const own = registry.contentType;
  switchable.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  try {
    return await registry.metrics();
  } finally {
    switchable.setContentType(own);
    for (const [metric, name] of names) (metric as { name: string }).name = name;
  }
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
