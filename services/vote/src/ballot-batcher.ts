import { type Context, context, type Link, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  type BallotToCast,
  type CastOutcome,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  MAX_TRACE_LINKS,
  withQueryLinks,
} from '@voting/db';
import { AppError } from '@voting/runtime';

interface Waiting {
  /** The ballot, carrying its deadline: its batch's transaction is abandoned past it. */
  ballot: BallotToCast & { deadline: number };
  key: string;
  resolve: (outcome: CastOutcome) => void;
  reject: (error: unknown) => void;
  /** The request's trace context, when it is sampled (its ballot carries its traceparent). */
  traceContext?: Context;
}

export interface BallotBatcherOptions {
  /**
   * Writes one batch in one transaction and returns one outcome per ballot, in order. It must
   * give up by the earliest `deadline` of its ballots, without committing (castBallots does).
   */
  castBatch: (ballots: BallotToCast[]) => Promise<CastOutcome[]>;
  maxBatchSize: number;
  /** Batches written at once; while all are busy, arriving ballots gather into the next batch. */
  maxInFlight: number;
  /**
   * How long a vote may take in all, waiting included: the database's statement timeout
   * (DATABASE_STATEMENT_TIMEOUT_MS). A ballot still waiting for its batch then is answered 503
   * and never written.
   */
  timeoutMs?: number;
}

/** A ballot that was never sent to the database: certainly not counted. */
const notSentInTime = () =>
  new AppError(
    503,
    'database_unavailable',
    'the database did not answer in time and the vote was not counted; try again shortly',
  );

// Deadlock and serialization failures roll the whole batch back untouched, so it is safe to
// write it again.
const retryableCodes = new Set(['40P01', '40001']);

/**
 * Group commit for the vote path. A ballot that arrives while the database is idle is written at
 * once, alone; ballots that arrive while `maxInFlight` batches are being written wait and go
 * together in the next one. Each request is still answered only after its own ballot committed,
 * so durability per vote is unchanged while commits (and round trips) per vote fall under load.
 *
 * Every vote is answered within `timeoutMs` of its arrival, whatever the database does: waiting
 * ballots expire with 503 (never sent), and a batch in flight is abandoned, uncommitted, at its
 * earliest ballot's deadline (castBallots).
 */
export class BallotBatcher {
  #queue: Waiting[] = [];
  #inFlight = 0;
  /** One timer for the oldest waiting ballot's deadline, not one per ballot. */
  #expiry: NodeJS.Timeout | null = null;
  readonly #timeoutMs: number;

  constructor(private readonly options: BallotBatcherOptions) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  }

  cast(ballot: BallotToCast): Promise<CastOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        ballot: { ...ballot, deadline: Date.now() + this.#timeoutMs },
        key: `${ballot.roundId}/${ballot.voterKey.toString('base64')}`,
        resolve,
        reject,
        // Called in the vote's request: a sampled one (its ballot carries its traceparent) takes
        // its context to the batch (#write).
        traceContext: ballot.traceparent === undefined ? undefined : context.active(),
      });
      this.#pump();
      this.#armExpiry();
    });
  }

  /**
   * While the database does not answer, the batch in flight holds everything behind it: each
   * waiting ballot is answered 503 at its own deadline instead of when the batch ahead gives up.
   * The queue is in arrival order, so the oldest deadline is the first one's.
   */
  #armExpiry(): void {
    const first = this.#queue[0];
    if (this.#expiry !== null || !first) return;
    this.#expiry = setTimeout(
      () => {
        this.#expiry = null;
        this.#expire();
        this.#armExpiry();
      },
      Math.max(0, first.ballot.deadline - Date.now()),
    );
    this.#expiry.unref();
  }

  #expire(): void {
    const now = Date.now();
    let expired = 0;
    while (expired < this.#queue.length && (this.#queue[expired] as Waiting).ballot.deadline <= now)
      expired++;
    if (expired === 0) return;
    for (const waiting of this.#queue.splice(0, expired)) waiting.reject(notSentInTime());
  }

  #pump(): void {
    while (this.#inFlight < this.options.maxInFlight && this.#queue.length > 0) {
      const batch = this.#takeBatch();
      if (batch.length === 0) return; // every waiting ballot had expired
      this.#inFlight++;
      this.#write(batch, 1).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** Up to maxBatchSize waiting ballots, at most one per (round, voter): a second waits its turn. */
  #takeBatch(): Waiting[] {
    this.#expire();
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

  /**
   * A batch runs in the trace of its first sampled ballot, and its statement's span links to the
   * other sampled ballots' spans, so every sampled vote reaches the statement that wrote it; a
   * batch of unsampled ballots runs in no trace (not in that of whichever request started it).
   */
  #write(batch: Waiting[], retriesLeft: number): Promise<void> {
    let parent: Context | undefined;
    const links: Link[] = [];
    for (const waiting of batch) {
      if (waiting.traceContext === undefined) continue;
      if (parent === undefined) parent = waiting.traceContext;
      else if (links.length < MAX_TRACE_LINKS) {
        const span = trace.getSpan(waiting.traceContext);
        if (span) links.push({ context: span.spanContext() });
      }
    }
    return context.with(parent === undefined ? ROOT_CONTEXT : withQueryLinks(parent, links), () =>
      this.#writeIn(batch, retriesLeft),
    );
  }

  async #writeIn(batch: Waiting[], retriesLeft: number): Promise<void> {
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
        return this.#writeIn(batch, retriesLeft - 1);
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
