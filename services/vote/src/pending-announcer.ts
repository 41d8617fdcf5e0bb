import type { Logger } from '@voting/runtime';

/**
 * At most one notification per this many ms per replica: under load a vote replica would
 * otherwise send one per round trip (thousands a second), each a transaction that takes the
 * database's notification-queue lock; 5 ms caps that at 200 a second (~1% of a core of
 * PostgreSQL) and adds at most 5 ms to how soon a busy worker hears of new ballots. An idle
 * replica's first notification goes at once.
 */
const MIN_INTERVAL_MS = 5;

/**
 * Tells idle workers that ballots are waiting (`ballots_pending`), so the live figures move as
 * soon as a vote is committed instead of at the worker's next poll. Pokes coalesce: one
 * notification in flight at a time, and any number of pokes meanwhile make one more. A failed
 * notification is only logged: the workers poll anyway.
 */
export class PendingAnnouncer {
  #pending = false;
  #inFlight: Promise<void> = Promise.resolve();
  #lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly announce: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  poke(): void {
    if (this.#pending) return;
    this.#pending = true;
    void this.#send();
  }

  async #send(): Promise<void> {
    await this.#inFlight;
    const wait = this.#lastSentAt + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Pokes from here on are not covered by this notification: they make the next one.
    this.#pending = false;
    this.#lastSentAt = performance.now();
    this.#inFlight = this.announce().catch((err: unknown) =>
      this.logger.debug({ err }, 'could not tell the workers that ballots are waiting'),
    );
  }
}
