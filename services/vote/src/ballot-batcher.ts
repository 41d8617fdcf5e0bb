import type { BallotToCast, CastOutcome } from '@voting/db';

interface Waiting {
  ballot: BallotToCast;
  key: string;
  resolve: (outcome: CastOutcome) => void;
  reject: (error: unknown) => void;
}

export interface BallotBatcherOptions {
  /** Writes one batch in one transaction and returns one outcome per ballot, in order. */
  castBatch: (ballots: BallotToCast[]) => Promise<CastOutcome[]>;
  maxBatchSize: number;
  /** Batches written at once; while all are busy, arriving ballots gather into the next batch. */
  maxInFlight: number;
}

// Deadlock and serialization failures roll the whole batch back untouched, so it is safe to
// write it again.
const retryableCodes = new Set(['40P01', '40001']);

/**
 * Group commit for the vote path. A ballot that arrives while the database is idle is written at
 * once, alone; ballots that arrive while `maxInFlight` batches are being written wait and go
 * together in the next one. Each request is still answered only after its own ballot committed,
 * so durability per vote is unchanged while commits (and round trips) per vote fall under load.
 */
export class BallotBatcher {
  #queue: Waiting[] = [];
  #inFlight = 0;

  constructor(private readonly options: BallotBatcherOptions) {}

  cast(ballot: BallotToCast): Promise<CastOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        ballot,
        key: `${ballot.roundId}/${ballot.voterKey.toString('base64')}`,
        resolve,
        reject,
      });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.options.maxInFlight && this.#queue.length > 0) {
      const batch = this.#takeBatch();
      this.#inFlight++;
      this.#write(batch, 1).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** Up to maxBatchSize waiting ballots, at most one per (round, voter): a second waits its turn. */
  #takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const keys = new Set<string>();
    const later: Waiting[] = [];
    for (const waiting of this.#queue) {
      if (batch.length < this.options.maxBatchSize && !keys.has(waiting.key)) {
        keys.add(waiting.key);
        batch.push(waiting);
      } else {
        later.push(waiting);
      }
    }
    this.#queue = later;
    return batch;
  }

  async #write(batch: Waiting[], retriesLeft: number): Promise<void> {
    try {
      const outcomes = await this.options.castBatch(batch.map((waiting) => waiting.ballot));
      batch.forEach((waiting, index) => {
        const outcome = outcomes[index];
        if (outcome) waiting.resolve(outcome);
        else waiting.reject(new Error('the batch write returned fewer outcomes than ballots'));
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (retriesLeft > 0 && code !== undefined && retryableCodes.has(code))
        return this.#write(batch, retriesLeft - 1);
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
