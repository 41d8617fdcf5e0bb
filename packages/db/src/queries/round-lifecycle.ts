import type { Pool, Queryable } from '../pool.ts';
import { inTransaction } from '../transactions.ts';
import { findRoundDefinition, type RoundDefinition } from './rounds.ts';

/** What an admin may change in a round; an absent field stays as it is. */
export interface RoundEdit {
  name?: string;
  /** New labels for the options 1..n, in order: as many as the round has. */
  labels?: string[];
  /** null removes the deadline. */
  closesAt?: Date | null;
  /** null removes the scheduled start (the round opens now). */
  opensAt?: Date | null;
}

export type EditOutcome =
  | { outcome: 'edited'; round: RoundDefinition }
  | { outcome: 'not_found' }
  /** Closed, by anyone or by its deadline: nothing changes any more. */
  | { outcome: 'closed' }
  /** The name and labels are fixed by the first ballot. */
  | { outcome: 'has_ballots' }
  /** The scheduled start is moved only before it comes. */
  | { outcome: 'started' }
  /** The start would be at or after the deadline. */
  | { outcome: 'invalid_schedule' };

/**
 * Edits a round, serialized with every ballot and close of it on the round's row:
 *
 * 1. The row is locked FOR UPDATE, which waits for each vote transaction holding it FOR SHARE
 *    (the cast statement's open-round check) to commit, and makes every later vote wait for this
 *    edit. A close (manual, or the worker's at the deadline) is an UPDATE of the row guarded by
 *    `closed_at IS NULL` (and the deadline): it either ran first, and this edit finds the round
 *    closed, or waits, and then re-checks its guard against the row this edit wrote (an extended
 *    deadline is no longer due).
 * 2. Only then, in a statement of its own (a fresh snapshot under READ COMMITTED, which a
 *    subquery of the locking statement would not have), is "no ballot yet" checked: every ballot
 *    is either committed and seen here, or waiting for this transaction.
 *
 * Options are replaced whole (the same ids 1..n, new labels) rather than updated in place, since
 * swapping two labels row by row would meet the unique (round_id, label) key half-way. The
 * round's option tallies cascade with them, and there are none before the first ballot.
 */
export async function editRound(
  pool: Pool,
  roundId: string,
  edit: RoundEdit,
): Promise<EditOutcome> {
  return inTransaction(pool, async (client): Promise<EditOutcome> => {
    const locked = await client.query<{
      open: boolean;
      started: boolean;
      closes_at: Date | null;
      opens_at: Date | null;
    }>({
      name: 'lock_round_for_edit',
      text: `SELECT round_is_open(closed_at, closes_at, now()) AS open,
          round_has_started(opens_at, now()) AS started, closes_at, opens_at
        FROM rounds WHERE round_id = $1
        FOR UPDATE`,
      values: [roundId],
    });
    const round = locked.rows[0];
    if (!round) return { outcome: 'not_found' };
    if (!round.open) return { outcome: 'closed' };
    if (edit.opensAt !== undefined && round.started) return { outcome: 'started' };
    const opensAt = edit.opensAt === undefined ? round.opens_at : edit.opensAt;
    const closesAt = edit.closesAt === undefined ? round.closes_at : edit.closesAt;
    if (opensAt !== null && closesAt !== null && opensAt >= closesAt)
      return { outcome: 'invalid_schedule' };

    if (edit.name !== undefined || edit.labels !== undefined) {
      const ballots = await client.query<{ any: boolean }>({
        name: 'round_has_ballots',
        text: 'SELECT EXISTS (SELECT 1 FROM ballots WHERE round_id = $1) AS any',
        values: [roundId],
      });
      if (ballots.rows[0]?.any) return { outcome: 'has_ballots' };
    }

    await client.query({
      name: 'edit_round',
      text: `UPDATE rounds SET name = COALESCE($2, name),
          closes_at = CASE WHEN $3 THEN $4 ELSE closes_at END,
          opens_at = CASE WHEN $5 THEN $6 ELSE opens_at END,
          revision = revision + 1
        WHERE round_id = $1`,
      values: [
        roundId,
        edit.name ?? null,
        edit.closesAt !== undefined,
        edit.closesAt ?? null,
        edit.opensAt !== undefined,
        edit.opensAt ?? null,
      ],
    });
    if (edit.labels !== undefined) {
      await client.query({
        name: 'drop_round_options',
        text: 'DELETE FROM options WHERE round_id = $1',
        values: [roundId],
      });
      await client.query({
        name: 'insert_round_options',
        text: `INSERT INTO options (round_id, option_id, label)
          SELECT $1, label.ordinality, label.value
          FROM unnest($2::text[]) WITH ORDINALITY AS label(value, ordinality)`,
        values: [roundId, edit.labels],
      });
    }
    const edited = await findRoundDefinition(client, roundId);
    if (!edited) throw new Error('an edited round vanished inside its transaction');
    return { outcome: 'edited', round: edited };
  });
}

/**
 * Deletes a round with everything of it: ballots, options, aggregates, stored results,
 * invitations and its roll go by ON DELETE CASCADE; its pending ballot changes, which carry no
 * foreign key (the vote path's hottest insert), are deleted here. Three statements, in this
 * order, so that no ballot is left behind and nothing deadlocks with a worker:
 *
 * 1. Lock the round FOR NO KEY UPDATE: it waits for every vote transaction holding the round FOR
 *    SHARE, and blocks every later one (which then finds no round: 404). It does not conflict
 *    with the FOR KEY SHARE that a worker's inserts into the aggregates take through their
 *    foreign keys, so a worker applying this round's changes finishes meanwhile.
 * 2. Delete the pending changes, in a fresh snapshot that sees every ballot committed before the
 *    lock (a worker holding some of them commits first; those it applied are in the aggregates).
 * 3. Delete the round; the cascades take the rest.
 *
 * Returns false for an unknown (or already deleted) round.
 */
export async function deleteRound(pool: Pool, roundId: string): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const locked = await client.query({
      name: 'lock_round_for_delete',
      text: 'SELECT 1 FROM rounds WHERE round_id = $1 FOR NO KEY UPDATE',
      values: [roundId],
    });
    if (locked.rowCount === 0) return false;
    await client.query({
      name: 'delete_round_changes',
      text: 'DELETE FROM ballot_changes WHERE round_id = $1',
      values: [roundId],
    });
    await client.query({
      name: 'delete_round',
      text: 'DELETE FROM rounds WHERE round_id = $1',
      values: [roundId],
    });
    return true;
  });
}

/** Whether the round exists, as of this statement (never from a cache). */
export async function roundExists(db: Queryable, roundId: string): Promise<boolean> {
  const result = await db.query({
    name: 'round_exists',
    text: 'SELECT 1 FROM rounds WHERE round_id = $1',
    values: [roundId],
  });
  return (result.rowCount ?? 0) > 0;
}

/**
 * Whether each of these rounds is open, by id; a round missing from the answer was deleted (or
 * never existed). One indexed read of at most the ids a replica's metrics track. A round before
 * its scheduled start counts as open: the metrics treat a round they once saw closed as closed
 * for good, and such a round will take ballots.
 */
export async function readRoundsOpen(
  db: Queryable,
  roundIds: string[],
): Promise<Map<string, boolean>> {
  const result = await db.query<{ round_id: string; open: boolean }>({
    name: 'read_rounds_open',
    text: `SELECT round_id, round_is_open(closed_at, closes_at, now()) AS open
      FROM rounds WHERE round_id = ANY($1::uuid[])`,
    values: [roundIds],
  });
  return new Map(result.rows.map((row) => [row.round_id, row.open]));
}
