import { type Pool, type PoolClient, statementTimeoutOf } from '../pool.ts';
import {
  CommitOutcomeUnknown,
  commitByOf,
  inTransaction,
  queryInOwnTransaction,
} from '../transactions.ts';

export interface BallotToCast {
  roundId: string;
  /**
   * HMAC of the voter id, or of the invitation code in an invited round, or random bytes for a
   * ballot cast without either.
   */
  voterKey: Buffer;
  /**
   * Invited rounds: the keyed hash of the ballot's invitation code, as stored in `invitations`.
   * A ballot of an invited round without a valid one is refused (`not_invited`).
   */
  invitation?: Buffer;
  choices: number[];
  /**
   * `Date.now()` by which the vote's request must be answered: a write still unfinished then is
   * abandoned and rolled back. Unset: the pool's statement timeout from now.
   */
  deadline?: number;
  /**
   * The W3C traceparent of the request that cast it, when that request is sampled
   * (`sampledTraceparent`): stored with its pending change so that the worker and the result
   * service link their spans to it. Absent for an untraced vote, which then costs nothing more.
   */
  traceparent?: string;
}

export type CastOutcome =
  | { outcome: 'accepted'; receipt: string; replaced: boolean }
  | { outcome: 'duplicate' }
  | { outcome: 'closed' }
  /** The round's scheduled start (`opens_at`) has not come yet. */
  | { outcome: 'not_open' }
  /** An invited round, and no invitation of it, or a revoked one. */
  | { outcome: 'not_invited' };

// A round takes ballots while it is not closed and its deadline, if any, is ahead, once its
// scheduled start, if any, has come. `FOR SHARE` makes a concurrent close, edit or delete wait for
// this vote's commit (see closeRound, editRound, deleteRound).
const openRound = `SELECT voters, round_has_started(opens_at, now()) AS started FROM rounds
  WHERE round_id = $1 AND round_is_open(closed_at, closes_at, now())
  FOR SHARE`;

// An invitation admits a ballot while it is not revoked. Locking and marking it used are one
// write, as in castBallots: a concurrent revocation waits for this vote's commit, then finds the
// invitation used (revokeInvitation); a revote keeps the first use.
const useInvitation = `UPDATE invitations
  SET used_at = COALESCE(used_at, date_trunc('milliseconds', now()))
  WHERE round_id = $1 AND code_hash = $2 AND revoked_at IS NULL`;

/** What a vote whose COMMIT got no answer is told: it may be counted or not, and how to find out. */
export const VOTE_OUTCOME_UNKNOWN =
  'the database stopped answering while this vote was being committed: it may or may not have ' +
  'been counted. With an X-Voter-Id, vote again: 409 duplicate_vote means it was counted (in a ' +
  'round that allows revotes, voting again simply replaces it)';

/** A write whose deadline is its earliest ballot's, or the pool's statement timeout from now. */
function deadlineOf(pool: Pool, ballots: readonly BallotToCast[]): number {
  let deadline = Number.POSITIVE_INFINITY;
  for (const ballot of ballots)
    if (ballot.deadline !== undefined && ballot.deadline < deadline) deadline = ballot.deadline;
  return Number.isFinite(deadline) ? deadline : Date.now() + statementTimeoutOf(pool);
}

const voteOutcomeUnknown = (error: unknown) =>
  error instanceof CommitOutcomeUnknown ? new CommitOutcomeUnknown(VOTE_OUTCOME_UNKNOWN) : error;

// The group-commit statement, in parts shared by its two forms (below).
const castInputPlain = `SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::text[], $5::bytea[])
          WITH ORDINALITY AS i(round_id, voter_key, choices, invitation, n)`;
const castInputTraced = `SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::text[], $5::bytea[], $6::text[])
          WITH ORDINALITY AS i(round_id, voter_key, choices, invitation, traceparent, n)`;
const castWrites = `open_rounds AS (
        -- Not closed; whether started is told apart (round_not_open), and only a started
        -- round admits a ballot.
        SELECT round_id, voters, round_has_started(opens_at, now()) AS started FROM rounds
        WHERE round_id IN (SELECT round_id FROM input)
          AND round_is_open(closed_at, closes_at, now())
        ORDER BY round_id
        FOR SHARE
      ), invited AS (
        -- Locks and marks the presented invitations in one write (a second vote of a used code
        -- keeps its first use): a revocation waits for this commit, then finds it used.
        UPDATE invitations inv SET used_at = COALESCE(inv.used_at, date_trunc('milliseconds', now()))
        FROM input i
        WHERE inv.round_id = i.round_id AND inv.code_hash = i.invitation
          AND inv.revoked_at IS NULL
          AND inv.round_id IN (SELECT round_id FROM open_rounds WHERE started)
        RETURNING inv.round_id, inv.code_hash
      ), admitted AS (
        SELECT i.*, o.started,
          o.started AND (o.voters = 'anyone' OR v.code_hash IS NOT NULL) AS admitted
        FROM input i
        JOIN open_rounds o ON o.round_id = i.round_id
        LEFT JOIN invited v ON v.round_id = i.round_id AND v.code_hash = i.invitation
      ), inserted AS (
        INSERT INTO ballots (round_id, voter_key, receipt, choices)
        SELECT round_id, voter_key, gen_random_uuid(), choices::smallint[]
        FROM admitted WHERE admitted
        ORDER BY round_id, voter_key
        ON CONFLICT (round_id, voter_key) DO NOTHING
        RETURNING round_id, voter_key, receipt, choices
      )`;
const castChangesPlain = `INSERT INTO ballot_changes (round_id, choices, delta, commit_by)
        SELECT round_id, choices, count(*), $4 FROM inserted GROUP BY round_id, choices`;
const castChangesTraced = `INSERT INTO ballot_changes (round_id, choices, delta, commit_by, traceparent)
        SELECT ins.round_id, ins.choices, count(*), $4, i.traceparent
        FROM inserted ins JOIN input i ON i.round_id = ins.round_id AND i.voter_key = ins.voter_key
        GROUP BY ins.round_id, ins.choices, i.traceparent`;
const castOutcomes = `SELECT a.round_id IS NOT NULL AS open, COALESCE(a.started, false) AS started,
        COALESCE(a.admitted, false) AS admitted, ins.receipt
      FROM input i
      LEFT JOIN admitted a ON a.n = i.n
      LEFT JOIN inserted ins ON ins.round_id = i.round_id AND ins.voter_key = i.voter_key
      ORDER BY i.n`;

/** The group-commit statement as the release before wrote it (no traceparent). */
const castBallotsPlain = `WITH input AS (
        ${castInputPlain}
      ), ${castWrites}, changes AS (
        ${castChangesPlain}
      )
      ${castOutcomes}`;

/**
 * The same, when some ballot of the batch carries a traceparent: they come as a sixth array, and
 * the change rows are grouped by (round, choices, traceparent), so the untraced ballots of a batch
 * still share a row per distinct ballot and each traced one gets its own. A batch without a
 * sampled vote sends the plain statement: no sixth parameter, no join, nothing more to pay.
 */
const castBallotsTraced = `WITH input AS (
        ${castInputTraced}
      ), ${castWrites}, changes AS (
        ${castChangesTraced}
      )
      ${castOutcomes}`;

/**
 * Casts many ballots in one statement, and so one commit ("group commit"): the open-round check
 * (FOR SHARE, so a concurrent close waits for this commit), the ballots (the unique key refuses a
 * second one of a voter) and their pending changes for the worker, one change row per distinct
 * ballot of the batch carrying its count. Each ballot gets its own outcome. The caller must not
 * put the same (round, voter) twice in one batch.
 *
 * In an invited round a ballot is admitted only with a valid invitation, locked FOR UPDATE (a
 * concurrent revocation waits for this commit) and marked used in the same statement; the ballot's
 * own key (a keyed hash of the code, not the invitation's) makes one ballot per invitation a
 * database constraint, as one per voter id is.
 *
 * Rows are locked and inserted in (round_id, voter_key) order, so two concurrent batches never
 * wait on each other in a cycle.
 *
 * The statement is not sent in autocommit: its transaction commits only when the client, having
 * received the whole result, sends Sync (queryInOwnTransaction), so that a batch the client gives
 * up on (its earliest ballot's deadline passed: the database is frozen or crawling) can never
 * commit afterwards: its connection is destroyed before the Sync was sent and the server rolls
 * it back, so every vote answered 503 `database_unavailable` is really not counted. Only a commit
 * that got no answer leaves the outcome open: 503 `outcome_unknown`. And the commit checks the
 * deadline itself (`commit_by` on the change rows, migration 0005), so even that one is never
 * committed after its answer. One round trip more than autocommit, one fewer than BEGIN … COMMIT
 * (docs/architecture.md, "Timeouts and freezes").
 */
export async function castBallots(
  pool: Pool,
  ballots: readonly BallotToCast[],
): Promise<CastOutcome[]> {
  const deadline = deadlineOf(pool, ballots);
  const traced = ballots.some((ballot) => ballot.traceparent !== undefined);
  const rows = await queryInOwnTransaction<{
    open: boolean;
    started: boolean;
    admitted: boolean;
    receipt: string | null;
  }>(
    pool,
    {
      name: traced ? 'cast_ballots_traced' : 'cast_ballots',
      text: traced ? castBallotsTraced : castBallotsPlain,
      values: [
        ballots.map((ballot) => ballot.roundId),
        ballots.map((ballot) => ballot.voterKey),
        ballots.map((ballot) => `{${ballot.choices.join(',')}}`),
        commitByOf(deadline),
        ballots.map((ballot) => ballot.invitation ?? null),
        ...(traced ? [ballots.map((ballot) => ballot.traceparent ?? null)] : []),
      ],
      // More than the statement returns (a row per ballot): it runs to completion at once.
      rows: ballots.length + 1,
    },
    { deadline },
  ).catch((error: unknown) => {
    throw voteOutcomeUnknown(error);
  });
  return rows.map((row): CastOutcome => {
    if (!row.open) return { outcome: 'closed' };
    if (!row.started) return { outcome: 'not_open' };
    if (!row.admitted) return { outcome: 'not_invited' };
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
  const deadline = deadlineOf(pool, [ballot]);
  return inTransaction(pool, (client) => replaceBallotIn(client, ballot, commitByOf(deadline)), {
    deadline,
  }).catch((error: unknown) => {
    throw voteOutcomeUnknown(error);
  });
}

// A revote's change rows: −1 for the old choices (if any), +1 for the new; with the vote's
// traceparent when it was sampled (migration 0010), else as the release before wrote them.
const recordBallotChange = `INSERT INTO ballot_changes (round_id, choices, delta, commit_by)
        SELECT $1, choices, delta, $4 FROM (VALUES ($2::smallint[], -1), ($3::smallint[], 1)) AS c(choices, delta)
        WHERE choices IS NOT NULL`;
const recordBallotChangeTraced = `INSERT INTO ballot_changes (round_id, choices, delta, commit_by, traceparent)
        SELECT $1, choices, delta, $4, $5 FROM (VALUES ($2::smallint[], -1), ($3::smallint[], 1)) AS c(choices, delta)
        WHERE choices IS NOT NULL`;

async function replaceBallotIn(
  client: PoolClient,
  ballot: BallotToCast,
  commitBy: Date,
): Promise<CastOutcome> {
  const round = await client.query<{ voters: string; started: boolean }>({
    name: 'lock_open_round',
    text: openRound,
    values: [ballot.roundId],
  });
  const voters = round.rows[0]?.voters;
  if (voters === undefined) return { outcome: 'closed' };
  if (!round.rows[0]?.started) return { outcome: 'not_open' };
  if (voters === 'invited') {
    const invitation = await client.query({
      name: 'use_invitation',
      text: useInvitation,
      values: [ballot.roundId, ballot.invitation ?? null],
    });
    if (invitation.rowCount === 0) return { outcome: 'not_invited' };
  }
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
    const traceparent = ballot.traceparent;
    await client.query({
      name: traceparent ? 'record_ballot_change_traced' : 'record_ballot_change',
      text: traceparent ? recordBallotChangeTraced : recordBallotChange,
      values: [
        ballot.roundId,
        old?.choices ?? null,
        ballot.choices,
        commitBy,
        ...(traceparent ? [traceparent] : []),
      ],
    });
    return { outcome: 'accepted', receipt, replaced: Boolean(old) };
  }
}
