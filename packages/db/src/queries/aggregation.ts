import type { Pile } from '@voting/domain';
import type { Queryable } from '../pool.ts';
import { MAX_TRACE_LINKS } from '../trace-context.ts';

export const ROUND_CHANGED_CHANNEL = 'round_changed';
/** Vote replicas say "ballots are waiting" here after a commit; idle workers wake on it. */
export const BALLOTS_PENDING_CHANNEL = 'ballots_pending';

export interface DrainedBatch {
  changes: number;
  roundIds: string[];
  /** The changed rounds of a ranked method: their stored tabulation is now behind. */
  rankedRoundIds: string[];
  /** A traced drain only: per changed round, the trace context its changes carried. */
  traces?: DrainedTraces[];
}

export interface DrainedTraces {
  roundId: string;
  ranked: boolean;
  /**
   * Its results are hidden until close (`results_visibility` other than live): its votes' trace
   * context goes no further than the worker's own span (invariant 8), never to the stream.
   */
  hidden: boolean;
  /** How many of its drained changes carried a traceparent. */
  traced: number;
  /** Their traceparents, oldest first, at most MAX_TRACE_LINKS. */
  traceparents: string[];
}

// The drain, in parts shared by its two forms. `taken` takes the oldest pending changes that no
// other worker holds; the rest applies them to the aggregates.
const drainTake = `DELETE FROM ballot_changes c
        WHERE (c.round_id, c.change_id) IN (
          SELECT round_id, change_id FROM ballot_changes ORDER BY change_id LIMIT $1 FOR UPDATE SKIP LOCKED
        )`;
const drainApply = `piles_applied AS (
        INSERT INTO piles (round_id, choices, ballots)
        SELECT round_id, choices, sum(delta) FROM taken GROUP BY round_id, choices ORDER BY round_id, choices
        ON CONFLICT (round_id, choices) DO UPDATE SET ballots = piles.ballots + excluded.ballots
      ), option_deltas AS (
        SELECT t.round_id, counted.option_id, sum(t.delta) AS delta
        FROM taken t
        JOIN rounds r ON r.round_id = t.round_id
        CROSS JOIN LATERAL unnest(counted_choices(r.method, t.choices)) AS counted(option_id)
        GROUP BY t.round_id, counted.option_id
      ), tallies_applied AS (
        INSERT INTO option_tallies (round_id, option_id, votes)
        SELECT round_id, option_id, delta FROM option_deltas ORDER BY round_id, option_id
        ON CONFLICT (round_id, option_id) DO UPDATE SET votes = option_tallies.votes + excluded.votes
      ), totals_applied AS (
        INSERT INTO round_totals (round_id, ballots, updated_at)
        SELECT round_id, sum(delta), now() FROM taken GROUP BY round_id ORDER BY round_id
        ON CONFLICT (round_id) DO UPDATE
          SET ballots = round_totals.ballots + excluded.ballots, updated_at = excluded.updated_at
      )`;

/** The drain as the release before wrote it: no trace context read. */
const drainPlain = `WITH taken AS (
        ${drainTake}
        RETURNING c.round_id, c.choices, c.delta
      ), ${drainApply}, per_round AS (
        SELECT t.round_id, count(*)::int AS changes, method_ranks(r.method) AS ranks
        FROM taken t JOIN rounds r ON r.round_id = t.round_id
        GROUP BY t.round_id, r.method
      )
      SELECT round_id, changes, ranks,
        CASE WHEN NOT ranks THEN pg_notify('${ROUND_CHANGED_CHANNEL}', round_id::text) END
      FROM per_round`;

/**
 * The drain of a traced worker: the same, and per round the traceparents its changes carried
 * (oldest first, at most $2). A round of live results whose changes carried any is announced
 * twice, in this order: `<round id> <traceparent> …` (a result replica keeps the traceparents for
 * its next stream event and reads nothing), then `<round id>` as always (it reads the round then;
 * a replica of the release before ignores the first, which names no round it watches). Both
 * notifications are delivered at the commit, in the order sent: the select list is evaluated left
 * to right for each row. A round whose results are hidden is announced as always, without them.
 */
const drainTraced = `WITH taken AS (
        ${drainTake}
        RETURNING c.round_id, c.choices, c.delta, c.change_id, c.traceparent
      ), ${drainApply}, per_round AS (
        SELECT t.round_id, count(*)::int AS changes, method_ranks(r.method) AS ranks,
          r.results_visibility <> 'live' AS hidden, count(t.traceparent)::int AS traced,
          (array_agg(t.traceparent ORDER BY t.change_id) FILTER (WHERE t.traceparent IS NOT NULL))[1:$2]
            AS traceparents
        FROM taken t JOIN rounds r ON r.round_id = t.round_id
        GROUP BY t.round_id, r.method, r.results_visibility
      )
      SELECT round_id, changes, ranks, hidden, traced, traceparents,
        CASE WHEN NOT ranks AND NOT hidden AND traced > 0
          THEN pg_notify('${ROUND_CHANGED_CHANNEL}', round_id::text || ' ' || array_to_string(traceparents, ' '))
        END AS traced_notice,
        CASE WHEN NOT ranks THEN pg_notify('${ROUND_CHANGED_CHANNEL}', round_id::text) END AS notice
      FROM per_round`;

/**
 * Applies up to `limit` pending ballot changes to the aggregates and deletes them, in one
 * statement and so one transaction: a change is counted exactly once whatever crashes.
 * `SKIP LOCKED` lets several workers drain side by side without waiting on each other; rows are
 * upserted in key order so two workers touching the same piles rarely deadlock (and a deadlock
 * only rolls the batch back for a retry). Each changed round is announced once with NOTIFY,
 * which PostgreSQL delivers when the transaction commits: here, or for a ranked round when the
 * worker has re-tabulated it (its readers want the new tabulation, not a second event before it).
 * `traced` (the worker traces): also reads the trace context the changes carried (`traces`).
 */
export async function drainBallotChanges(
  db: Queryable,
  limit: number,
  options: { traced?: boolean } = {},
): Promise<DrainedBatch> {
  const traced = options.traced === true;
  const result = await db.query<{
    round_id: string;
    changes: number;
    ranks: boolean;
    hidden?: boolean;
    traced?: number;
    traceparents?: string[] | null;
  }>({
    ...drainStatement(traced),
    values: traced ? [limit, MAX_TRACE_LINKS] : [limit],
  });
  const batch: DrainedBatch = {
    changes: result.rows.reduce((sum, row) => sum + row.changes, 0),
    roundIds: result.rows.map((row) => row.round_id),
    rankedRoundIds: result.rows.filter((row) => row.ranks).map((row) => row.round_id),
  };
  if (traced)
    batch.traces = result.rows.map((row) => ({
      roundId: row.round_id,
      ranked: row.ranks,
      hidden: row.hidden === true,
      traced: row.traced ?? 0,
      traceparents: row.traceparents ?? [],
    }));
  return batch;
}

/** The statement name and text of the drain, for the span the worker makes of it afterwards. */
export const drainStatement = (traced: boolean) => ({
  name: traced ? 'drain_ballot_changes_traced' : 'drain_ballot_changes',
  text: traced ? drainTraced : drainPlain,
});

/**
 * A `round_changed` payload: `<round id>`, or `<round id> <traceparent> …` (the trace context of
 * the votes a change carries out, for the stream-event span's links; see drainTraced).
 */
export function parseRoundChanged(payload: string): { roundId: string; traceparents: string[] } {
  const [roundId = '', ...traceparents] = payload.split(' ');
  return { roundId, traceparents };
}

/**
 * Closes the rounds whose deadline has passed, as of that deadline. Exactly once across worker
 * replicas: the row lock makes a second worker re-check `closed_at IS NULL` and skip the round.
 */
export async function closeDueRounds(db: Queryable): Promise<string[]> {
  const result = await db.query<{ round_id: string }>({
    name: 'close_due_rounds',
    text: `UPDATE rounds SET closed_at = closes_at
      WHERE closed_at IS NULL AND closes_at <= now()
      RETURNING round_id, pg_notify('${ROUND_CHANGED_CHANNEL}', round_id::text)`,
  });
  return result.rows.map((row) => row.round_id);
}

/** A round's piles, including its not-yet-applied changes: exact as of this statement. */
export async function readPiles(
  db: Queryable,
  roundId: string,
): Promise<{ piles: Pile[]; asOf: Date }> {
  const result = await db.query<{ choices: number[]; count: number; as_of: Date }>({
    name: 'read_piles',
    text: `SELECT choices, sum(ballots)::bigint AS count, statement_timestamp() AS as_of FROM (
        SELECT choices, ballots FROM piles WHERE round_id = $1
        UNION ALL
        SELECT choices, delta FROM ballot_changes WHERE round_id = $1
      ) AS counted
      GROUP BY choices HAVING sum(ballots) > 0`,
    values: [roundId],
  });
  const asOf = result.rows[0]?.as_of ?? new Date();
  return { piles: result.rows.map(({ choices, count }) => ({ choices, count })), asOf };
}

/**
 * Claims closed rounds whose changes are all applied and whose result is not final yet. The
 * claim (FOR UPDATE SKIP LOCKED) lasts until the caller's transaction ends, so each round is
 * finalized by exactly one worker. Nothing can add a change to a closed round, so "no pending
 * change" stays true.
 */
export async function claimRoundsToFinalize(db: Queryable, limit: number): Promise<string[]> {
  const result = await db.query<{ round_id: string }>({
    name: 'claim_rounds_to_finalize',
    text: `SELECT round_id FROM rounds r
      WHERE closed_at IS NOT NULL AND finalized_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM ballot_changes c WHERE c.round_id = r.round_id)
      ORDER BY closed_at
      LIMIT $1
      FOR UPDATE SKIP LOCKED`,
    values: [limit],
  });
  return result.rows.map((row) => row.round_id);
}

export async function storeResult(
  db: Queryable,
  stored: { roundId: string; result: unknown; ballots: number; asOf: Date; final: boolean },
): Promise<void> {
  await db.query({
    name: 'store_result',
    text: `WITH stored AS (
        INSERT INTO round_results (round_id, result, ballots, as_of, final)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (round_id) DO UPDATE
          SET result = excluded.result, ballots = excluded.ballots, as_of = excluded.as_of, final = excluded.final
          WHERE NOT round_results.final
      )
      UPDATE rounds SET finalized_at = now() WHERE round_id = $1 AND $5 AND finalized_at IS NULL`,
    values: [
      stored.roundId,
      JSON.stringify(stored.result),
      stored.ballots,
      stored.asOf,
      stored.final,
    ],
  });
}

/**
 * Announces a changed round (a ranked round's new tabulation, a final result). With the
 * traceparents of the votes it carries out (a traced worker, a round of live results), first
 * `<round id> <traceparent> …`, then `<round id>`, as the traced drain does.
 */
export async function announceRoundChanged(
  db: Queryable,
  roundId: string,
  traceparents: readonly string[] = [],
): Promise<void> {
  const traced = traceparents.length > 0;
  await db.query({
    name: traced ? 'announce_round_changed_traced' : 'announce_round_changed',
    text: traced ? announceTraced : announcePlain,
    values: traced ? [roundId, traceparents.slice(0, MAX_TRACE_LINKS).join(' ')] : [roundId],
  });
}

const announcePlain = `SELECT pg_notify('${ROUND_CHANGED_CHANNEL}', $1)`;
const announceTraced = `SELECT pg_notify('${ROUND_CHANGED_CHANNEL}', $1 || ' ' || $2),
        pg_notify('${ROUND_CHANGED_CHANNEL}', $1)`;

/**
 * Open ranked and Condorcet rounds whose stored tabulation is missing or older than their last
 * aggregated change. The worker that drains a change re-tabulates the round itself; this finds
 * the rounds a worker did not live to re-tabulate (killed between its drain's commit and the
 * re-tabulation), which no other worker would otherwise know about until the round's next vote.
 * Scans open rounds only (the partial index on open rounds).
 */
export async function findStaleTabulations(db: Queryable, limit: number): Promise<string[]> {
  const result = await db.query<{ round_id: string }>({
    name: 'find_stale_tabulations',
    text: `SELECT r.round_id FROM rounds r
      JOIN round_totals t ON t.round_id = r.round_id
      LEFT JOIN round_results s ON s.round_id = r.round_id
      WHERE r.closed_at IS NULL AND method_ranks(r.method)
        AND (s.round_id IS NULL OR (NOT s.final AND s.as_of < t.updated_at))
      ORDER BY t.updated_at
      LIMIT $1`,
    values: [limit],
  });
  return result.rows.map((row) => row.round_id);
}

export interface Backlog {
  pending: number;
  oldestAgeSeconds: number;
}

export async function readBacklog(db: Queryable): Promise<Backlog> {
  const result = await db.query<{ pending: number; oldest_age: number | null }>({
    name: 'read_backlog',
    text: `SELECT count(*)::int AS pending,
        EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest_age FROM ballot_changes`,
  });
  const row = result.rows[0];
  return { pending: row?.pending ?? 0, oldestAgeSeconds: Math.max(0, row?.oldest_age ?? 0) };
}

/**
 * Wakes idle workers: new ballot changes are committed. Sent after the vote's commit, in a
 * statement of its own, so the vote's transaction never takes the notification queue's lock.
 */
export async function announceBallotsPending(db: Queryable): Promise<void> {
  await db.query({
    name: 'announce_ballots_pending',
    text: `SELECT pg_notify('${BALLOTS_PENDING_CHANNEL}', '')`,
  });
}
