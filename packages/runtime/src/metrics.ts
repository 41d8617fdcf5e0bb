import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One registry per running app (not the global one), so tests can build many apps in a process. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function createHttpDurationHistogram(registry: Registry) {
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status code',
    labelNames: ['method', 'route', 'status_code'],
    // Votes answer in about a millisecond; the tail buckets catch database stalls.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
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
