import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  announceRoundChanged,
  claimRoundsToFinalize,
  closeDueRounds,
  type DrainedBatch,
  drainBallotChanges,
  drainStatement,
  findStaleTabulations,
  inTransaction,
  linksTo,
  MAX_TRACE_LINKS,
  type Pool,
  type RoundCatalog,
  readBacklog,
  recordQuerySpan,
} from '@voting/db';
import type { Logger } from '@voting/runtime';
import type { WorkerMetrics } from './metrics.ts';
import { tabulateAndStore } from './tabulation.ts';

export interface WorkerLoopOptions {
  pool: Pool;
  catalog: RoundCatalog;
  logger: Logger;
  metrics: WorkerMetrics;
  pollIntervalMs: number;
  batchSize: number;
  tabulationIntervalMs: number;
  /** The service's tracer when tracing is on (docs/observability.md). */
  tracer?: Tracer;
}

// A full batch means more is waiting: drain again at once, but yield to the event loop (and the
// rest of the loop's duties) after this many batches.
const MAX_BATCHES_PER_LOOP = 20;
// The least pause between two loops, even when woken: under a stream of votes the wake-ups
// (up to 200 a second per vote replica) would otherwise make a drain per handful of ballots,
// which cost PostgreSQL 100–123 µs per vote against 60–65 with the 100 ms poll (npm run bench,
// wrk, same machine and day). 20 ms keeps drains large under load and still adds little to how
// soon a vote reaches the live figures.
const MIN_PAUSE_MS = 20;
const ERROR_BACKOFF_MS = 1000;
// How often a loop also looks in the database for open ranked rounds whose stored tabulation fell
// behind (a worker killed between drain and re-tabulation); the first loop of a process always
// does. This bounds the staleness such a crash can leave.
const STALE_TABULATION_SCAN_MS = 10_000;
const STALE_TABULATION_SCAN_LIMIT = 100;

/**
 * The worker's one loop: aggregate pending ballot changes, close rounds whose deadline passed,
 * store final results of drained closed rounds, and re-tabulate open ranked rounds that changed.
 * Every step is safe with any number of replicas running it at once.
 */
export class WorkerLoop {
  #running = false;
  #stopped: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;
  /** Work was announced while a loop ran: the next pause is skipped. */
  #wokenWhileBusy = false;
  /** Open ranked rounds with changes not yet in their stored tabulation. */
  readonly #dirtyRanked = new Set<string>();
  /**
   * Traced: per dirty ranked round, the traceparents of the sampled votes its next tabulation
   * carries out (at most MAX_TRACE_LINKS), and whether its results are hidden (then they go no
   * further than the worker's own span).
   */
  readonly #rankedTraces = new Map<string, { traceparents: string[]; hidden: boolean }>();
  readonly #lastTabulatedAt = new Map<string, number>();
  #lastStaleScanAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WorkerLoopOptions) {}

  start(): void {
    this.#running = true;
    this.#stopped = this.#run();
  }

  /**
   * New ballot changes were committed (a vote replica's `ballots_pending`): an idle loop starts
   * now instead of at the end of its pause; a busy one runs again at once when it ends, since the
   * changes may have come after its drain.
   */
  wake(): void {
    if (this.#wake) this.#wake();
    else this.#wokenWhileBusy = true;
  }

  /** Lets the current loop finish its transaction, then stops. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#stopped;
  }

  /** One pass of every duty; exported for tests. */
  async runOnce(): Promise<void> {
    const { metrics } = this.options;
    await this.#aggregate();
    await this.#closeDueRounds();
    await this.#finalizeClosedRounds();
    await this.#findStaleTabulations();
    await this.#refreshRankedTabulations();
    const backlog = await readBacklog(this.options.pool);
    metrics.backlog.set(backlog.pending);
    metrics.lag.set(backlog.oldestAgeSeconds);
    metrics.heartbeat.set({ service: 'worker' }, Date.now() / 1000);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let pause = this.options.pollIntervalMs;
      try {
        await this.runOnce();
      } catch (err) {
        this.options.metrics.loopErrors.inc();
        this.options.logger.error({ err }, 'work loop failed; retrying');
        pause = ERROR_BACKOFF_MS;
      }
      if (this.#running) await this.#sleep(pause);
    }
  }

  async #aggregate(): Promise<void> {
    const { pool, batchSize, metrics, tracer } = this.options;
    for (let batch = 0; batch < MAX_BATCHES_PER_LOOP; batch++) {
      const started = performance.now();
      const drained = await drainBallotChanges(pool, batchSize, { traced: tracer !== undefined });
      if (drained.changes === 0) return;
      if (tracer) this.#traceAggregation(tracer, drained, started, performance.now());
      metrics.batches.inc();
      metrics.changes.inc(drained.changes);
      for (const roundId of drained.rankedRoundIds) this.#dirtyRanked.add(roundId);
      if (drained.changes < batchSize) return;
    }
  }

  /**
   * The aggregation span of a drain that took changes, made once the drain is done, since what it
   * links to comes back with its rows: `aggregate ballot_changes`, a CONSUMER root span over the
   * drain's statement (its child span), linked to the vote spans whose changes it applied, at most
   * MAX_TRACE_LINKS of them (the SDK's own limit; a drain takes up to WORKER_BATCH_SIZE changes,
   * and the rest are counted in `voting.links_dropped`). Its sampler keeps it whenever it links
   * to a sampled vote (SampledLinksSampler), so a sampled vote's trace always leads here (through
   * its `vote counted` span, below). It names no round: its figures are the batch's, as
   * worker_ballot_changes_aggregated_total.
   */
  #traceAggregation(tracer: Tracer, drained: DrainedBatch, start: number, end: number): void {
    const traces = drained.traces ?? [];
    const traceparents: string[] = [];
    let traced = 0;
    for (const round of traces) {
      traced += round.traced;
      for (const traceparent of round.traceparents)
        if (traceparents.length < MAX_TRACE_LINKS) traceparents.push(traceparent);
      if (round.ranked && round.traceparents.length > 0) {
        const pending = this.#rankedTraces.get(round.roundId) ?? {
          traceparents: [],
          hidden: round.hidden,
        };
        for (const traceparent of round.traceparents)
          if (pending.traceparents.length < MAX_TRACE_LINKS) pending.traceparents.push(traceparent);
        this.#rankedTraces.set(round.roundId, pending);
      }
    }
    const links = linksTo(traceparents);
    const span = tracer.startSpan('aggregate ballot_changes', {
      root: true,
      kind: SpanKind.CONSUMER,
      startTime: start,
      links,
      attributes: {
        'voting.changes': drained.changes,
        'voting.rounds': drained.roundIds.length,
        'voting.links_dropped': traced - traceparents.length,
      },
    });
    recordQuerySpan(
      this.options.pool,
      trace.setSpan(ROOT_CONTEXT, span),
      drainStatement(true),
      start,
      end,
    );
    span.end(end);
    // And in each linked vote's own trace, a span of the moment it was counted, linking back:
    // links point from the aggregation to the votes, and trace views show them there only, so
    // whoever opens a vote's trace finds the way forward here.
    for (const link of links)
      tracer
        .startSpan(
          'vote counted',
          { startTime: start, links: [{ context: span.spanContext() }] },
          trace.setSpanContext(ROOT_CONTEXT, link.context),
        )
        .end(end);
  }

  /** Runs `work` in a root span linked to `traceparents`, when tracing is on. */
  async #inSpan(name: string, traceparents: string[], work: () => Promise<void>): Promise<void> {
    const { tracer } = this.options;
    if (!tracer) return work();
    const span = tracer.startSpan(name, { root: true, links: linksTo(traceparents) });
    try {
      await context.with(trace.setSpan(ROOT_CONTEXT, span), work);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  async #closeDueRounds(): Promise<void> {
    const closed = await closeDueRounds(this.options.pool);
    for (const roundId of closed) {
      this.options.metrics.roundsClosed.inc();
      this.options.logger.info({ roundId }, 'round closed on its deadline');
    }
  }

  async #finalizeClosedRounds(): Promise<void> {
    const { pool, catalog, metrics, logger } = this.options;
    for (;;) {
      const finalized = await inTransaction(pool, async (client) => {
        const [roundId] = await claimRoundsToFinalize(client, 1);
        if (!roundId) return null;
        const round = await catalog.find(roundId);
        if (!round) throw new Error(`round ${roundId} vanished while being finalized`);
        await tabulateAndStore(client, round, true);
        await announceRoundChanged(client, roundId);
        return roundId;
      });
      if (!finalized) return;
      this.#dirtyRanked.delete(finalized);
      this.#rankedTraces.delete(finalized);
      this.#lastTabulatedAt.delete(finalized);
      metrics.roundsFinalized.inc();
      logger.info({ roundId: finalized }, 'final result stored');
    }
  }

  async #findStaleTabulations(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastStaleScanAt < STALE_TABULATION_SCAN_MS) return;
    const stale = await findStaleTabulations(this.options.pool, STALE_TABULATION_SCAN_LIMIT);
    for (const roundId of stale) this.#dirtyRanked.add(roundId);
    this.#lastStaleScanAt = now;
  }

  async #refreshRankedTabulations(): Promise<void> {
    const { pool, catalog, metrics, tabulationIntervalMs } = this.options;
    const now = Date.now();
    for (const roundId of this.#dirtyRanked) {
      if (now - (this.#lastTabulatedAt.get(roundId) ?? 0) < tabulationIntervalMs) continue;
      const round = await catalog.find(roundId);
      this.#dirtyRanked.delete(roundId);
      const traced = this.#rankedTraces.get(roundId);
      this.#rankedTraces.delete(roundId);
      if (!round) continue;
      this.#lastTabulatedAt.set(roundId, now);
      // A ranked round's votes reach the stream with its new tabulation: this span carries them
      // out, and the announcement names them unless the round's results are hidden.
      await this.#inSpan('tabulate ranked round', traced?.traceparents ?? [], async () => {
        await tabulateAndStore(pool, round, false);
        await announceRoundChanged(
          pool,
          roundId,
          traced && !traced.hidden ? traced.traceparents : [],
        );
      });
      metrics.tabulations.inc();
    }
  }

  async #sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, MIN_PAUSE_MS)));
    if (this.#wokenWhileBusy || !this.#running) {
      this.#wokenWhileBusy = false;
      return;
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms - MIN_PAUSE_MS));
      this.#wake = done;
    });
  }
}
