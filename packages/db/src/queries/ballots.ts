import { inTransaction, type Pool, type Queryable } from '../pool.ts';

export interface BallotToCast {
  roundId: string;
  /** HMAC of the voter id, or random bytes for a ballot cast without one. */
  voterKey: Buffer;
  choices: number[];
}

export type CastOutcome =
  | { outcome: 'accepted'; receipt: string; replaced: boolean }
  | { outcome: 'duplicate' }
  | { outcome: 'closed' };

// A round takes ballots while it is not closed and its deadline, if any, is ahead. `FOR SHARE`
// makes a concurrent close wait for this vote's commit (see closeRound).
const openRound = `SELECT round_id FROM rounds
  WHERE round_id = $1 AND round_is_open(closed_at, closes_at, now())
  FOR SHARE`;

/**
 * Casts many ballots in one statement, and so one commit ("group commit"): the open-round check
 * (FOR SHARE, so a concurrent close waits for this commit), the ballots (the unique key refuses a
 * second one of a voter) and their pending changes for the worker, one change row per distinct
 * ballot of the batch carrying its count. Each ballot gets its own outcome. The caller must not put the same (round, voter) twice in one batch.
 *
 * Rows are locked and inserted in (round_id, voter_key) order, so two concurrent batches never
 * wait on each other in a cycle.
 */
export async function castBallots(
  db: Queryable,
  ballots: readonly BallotToCast[],
): Promise<CastOutcome[]> {
  const result = await db.query<{ open: boolean; receipt: string | null }>({
    name: 'cast_ballots',
    text: `WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::text[]) WITH ORDINALITY AS i(round_id, voter_key, choices, n)
      ), open_rounds AS (
        SELECT round_id FROM rounds
        WHERE round_id IN (SELECT round_id FROM input)
          AND round_is_open(closed_at, closes_at, now())
        ORDER BY round_id
        FOR SHARE
      ), inserted AS (
        INSERT INTO ballots (round_id, voter_key, receipt, choices)
        SELECT i.round_id, i.voter_key, gen_random_uuid(), i.choices::smallint[]
        FROM input i JOIN open_rounds o ON o.round_id = i.round_id
        ORDER BY i.round_id, i.voter_key
        ON CONFLICT (round_id, voter_key) DO NOTHING
        RETURNING round_id, voter_key, receipt, choices
      ), changes AS (
        INSERT INTO ballot_changes (round_id, choices, delta)
        SELECT round_id, choices, count(*) FROM inserted GROUP BY round_id, choices
      )
      SELECT o.round_id IS NOT NULL AS open, ins.receipt
      FROM input i
      LEFT JOIN open_rounds o ON o.round_id = i.round_id
      LEFT JOIN inserted ins ON ins.round_id = i.round_id AND ins.voter_key = i.voter_key
      ORDER BY i.n`,
    values: [
      ballots.map((ballot) => ballot.roundId),
      ballots.map((ballot) => ballot.voterKey),
      ballots.map((ballot) => `{${ballot.choices.join(',')}}`),
    ],
  });
  return result.rows.map((row): CastOutcome => {
    if (!row.open) return { outcome: 'closed' };
    return row.receipt
      ? { outcome: 'accepted', receipt: row.receipt, replaced: false }
      : { outcome: 'duplicate' };
  });
}

/**
 * Casts or replaces a voter's ballot in a round that allows revoting. The old ballot's choices
 * leave the count (-1) as the new ones enter (+1), in the same transaction. The voter's row is
 * locked first so two concurrent revotes of one voter apply one after the other.
 */
export async function castOrReplaceBallot(pool: Pool, ballot: BallotToCast): Promise<CastOutcome> {
  return inTransaction(pool, async (client) => {
    const round = await client.query({
      name: 'lock_open_round',
      text: openRound,
      values: [ballot.roundId],
    });
    if (round.rowCount === 0) return { outcome: 'closed' };
    for (;;) {
      const previous = await client.query<{ choices: number[] }>({
        name: 'lock_previous_ballot',
        text: 'SELECT choices FROM ballots WHERE round_id = $1 AND voter_key = $2 FOR UPDATE',
        values: [ballot.roundId, ballot.voterKey],
      });
      const old = previous.rows[0];
      const written = await client.query<{ receipt: string }>({
        name: old ? 'replace_ballot' : 'insert_first_ballot',
        text: old
          ? `UPDATE ballots SET choices = $3, receipt = gen_random_uuid(), cast_at = now()
             WHERE round_id = $1 AND voter_key = $2 RETURNING receipt`
          : `INSERT INTO ballots (round_id, voter_key, receipt, choices)
             VALUES ($1, $2, gen_random_uuid(), $3)
             ON CONFLICT (round_id, voter_key) DO NOTHING RETURNING receipt`,
        values: [ballot.roundId, ballot.voterKey, ballot.choices],
      });
      const receipt = written.rows[0]?.receipt;
      // Another request of the same voter inserted first: go round and replace its ballot.
      if (!receipt) continue;
      await client.query({
        name: 'record_ballot_change',
        text: `INSERT INTO ballot_changes (round_id, choices, delta)
          SELECT $1, choices, delta FROM (VALUES ($2::smallint[], -1), ($3::smallint[], 1)) AS c(choices, delta)
          WHERE choices IS NOT NULL`,
        values: [ballot.roundId, old?.choices ?? null, ballot.choices],
      });
      return { outcome: 'accepted', receipt, replaced: Boolean(old) };
    }
  });
}
