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

interface RoundSeriesEntry {
  lastActive: number;
  closedAt: number | null;
  remove: () => void;
}

/**
 * Keeps round-labelled series bounded: at most `maxRounds` rounds have series at once (the least
 * recently active go first), and a closed round's series are dropped `closedTtlMs` after its close.
 * So the series count is at most maxRounds × (options per round + 1).
 */
export class RoundSeriesBound {
  readonly #rounds = new Map<string, RoundSeriesEntry>();

  constructor(
    private readonly maxRounds: number,
    private readonly closedTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Marks a round active; `remove` drops every series of that round when it is evicted. */
  touch(roundId: string, remove: () => void): void {
    const entry = this.#rounds.get(roundId);
    this.#rounds.delete(roundId);
    this.#rounds.set(roundId, {
      lastActive: this.now(),
      closedAt: entry?.closedAt ?? null,
      remove,
    });
    this.#evict();
  }

  closed(roundId: string): void {
    const entry = this.#rounds.get(roundId);
    if (entry) entry.closedAt ??= this.now();
    this.#evict();
  }

  get size(): number {
    return this.#rounds.size;
  }

  #evict(): void {
    const now = this.now();
    for (const [roundId, entry] of this.#rounds) {
      if (entry.closedAt !== null && now - entry.closedAt >= this.closedTtlMs) this.#drop(roundId);
    }
    // Map iteration follows insertion order and touch() re-inserts, so the first is the stalest.
    for (const roundId of this.#rounds.keys()) {
      if (this.#rounds.size <= this.maxRounds) break;
      this.#drop(roundId);
    }
  }

  #drop(roundId: string): void {
    this.#rounds.get(roundId)?.remove();
    this.#rounds.delete(roundId);
  }
}
