import type { Pool } from '@voting/db';

/**
 * A cheap fingerprint of everything a request could store: row counts of rounds, options, ballots
 * and ballot changes (a revote adds two changes), and how many rounds are closed. A refused
 * request must leave it as it was (invariant 7).
 */
export async function storedFingerprint(pool: Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM rounds) AS rounds,
            (SELECT count(*) FROM rounds WHERE closed_at IS NOT NULL) AS closed,
            (SELECT count(*) FROM options) AS options,
            (SELECT count(*) FROM ballots) AS ballots,
            (SELECT count(*) FROM ballot_changes) AS changes`,
  );
  const row = rows[0] as Record<string, string>;
  return `rounds=${row.rounds} closed=${row.closed} options=${row.options} ballots=${row.ballots} changes=${row.changes}`;
}
