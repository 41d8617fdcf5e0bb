import { LRUCache } from 'lru-cache';
import type { Queryable } from './pool.ts';
import { findRoundDefinition, type RoundDefinition } from './queries/rounds.ts';

/**
 * In-process cache of round definitions (name, method, options, settings): they never change
 * after creation, so the vote path validates a ballot without a database round trip. The
 * round's open/closed state is deliberately not cached: it is checked inside each vote's write.
 */
export class RoundCatalog {
  readonly #cache: LRUCache<string, RoundDefinition>;

  constructor(
    private readonly db: Queryable,
    maxRounds = 10_000,
  ) {
    this.#cache = new LRUCache({ max: maxRounds });
  }

  async find(roundId: string): Promise<RoundDefinition | null> {
    const cached = this.#cache.get(roundId);
    if (cached) return cached;
    const round = await findRoundDefinition(this.db, roundId);
    // Unknown ids are not cached: a round created by another replica must be found next time.
    if (round) this.#cache.set(roundId, round);
    return round;
  }

  remember(round: RoundDefinition): void {
    this.#cache.set(round.roundId, round);
  }
}
