import type { Queryable } from '../pool.ts';
import type { RoundState } from './rounds.ts';

export interface LiveTallies extends RoundState {
  ballots: number;
  /** Votes per option id; options without votes are absent. */
  votes: Map<number, number>;
  asOf: Date;
  /** Invited rounds: invitations issued and not revoked; null for rounds open to anyone. */
  eligible: number | null;
  /** The round's stored revision: a reader's cached definition older than it was edited since. */
  revision: number;
}

/**
 * A round's per-option counts and ballot total, exact as of this statement: the worker's
 * aggregates plus the changes it has not applied yet (one snapshot, so a change is counted in
 * exactly one of the two). Cost is O(options + pending changes of the round), never O(ballots).
 * For ranked methods the per-option figure is first choices.
 */
export async function readLiveTallies(db: Queryable, roundId: string): Promise<LiveTallies | null> {
  const result = await db.query<{
    closed_at: Date | null;
    finalized_at: Date | null;
    as_of: Date;
    ballots: number;
    votes: [number, number][] | null;
    eligible: number | null;
    revision: number;
  }>({
    name: 'read_live_tallies',
    text: `WITH round AS (
        SELECT round_id, method, closed_at, finalized_at, revision FROM rounds WHERE round_id = $1
      ), pending AS (
        SELECT c.choices, c.delta FROM ballot_changes c WHERE c.round_id = $1
      ), per_option AS (
        SELECT option_id, sum(votes) AS votes FROM (
          SELECT option_id, votes FROM option_tallies WHERE round_id = $1
          UNION ALL
          SELECT unnest(counted_choices(round.method, p.choices)), p.delta
          FROM pending p, round
        ) AS counted(option_id, votes)
        GROUP BY option_id
      )
      SELECT round.closed_at, round.finalized_at, round.revision, statement_timestamp() AS as_of,
        COALESCE((SELECT ballots FROM round_totals WHERE round_id = $1), 0)
          + COALESCE((SELECT sum(delta) FROM pending), 0) AS ballots,
        (SELECT json_agg(json_build_array(option_id, votes)) FROM per_option WHERE votes <> 0) AS votes,
        (SELECT issued - revoked FROM voter_rolls WHERE round_id = $1) AS eligible
      FROM round`,
    values: [roundId],
  });
  const row = result.rows[0];
  if (!row) return null;
  return {
    closedAt: row.closed_at,
    finalizedAt: row.finalized_at,
    asOf: row.as_of,
    ballots: Number(row.ballots),
    votes: new Map((row.votes ?? []).map(([optionId, votes]) => [optionId, Number(votes)])),
    eligible: row.eligible,
    revision: row.revision,
  };
}

export interface StoredResult extends RoundState {
  result: unknown;
  ballots: number;
  asOf: Date;
  final: boolean;
}

/** The worker's stored tabulation of a round (ranked methods, and every final result). */
export async function readStoredResult(
  db: Queryable,
  roundId: string,
): Promise<StoredResult | null> {
  const result = await db.query<{
    result: unknown;
    ballots: number;
    as_of: Date;
    final: boolean;
    closed_at: Date | null;
    finalized_at: Date | null;
  }>({
    name: 'read_stored_result',
    text: `SELECT s.result, s.ballots, s.as_of, s.final, r.closed_at, r.finalized_at
      FROM rounds r JOIN round_results s USING (round_id) WHERE r.round_id = $1`,
    values: [roundId],
  });
  const row = result.rows[0];
  return row
    ? {
        result: row.result,
        ballots: row.ballots,
        asOf: row.as_of,
        final: row.final,
        closedAt: row.closed_at,
        finalizedAt: row.finalized_at,
      }
    : null;
}
