import type { Pool, Queryable } from '../pool.ts';
import { inTransaction } from '../transactions.ts';

/** One invitation to write: its code is already hashed, and never reaches the database. */
export interface NewInvitation {
  invitationId: string;
  codeHash: Buffer;
  label: string;
}

export type IssueOutcome =
  | { outcome: 'issued'; issuedAt: Date }
  | { outcome: 'not_invited' }
  | { outcome: 'closed' }
  | { outcome: 'roll_full'; issued: number };

/**
 * Adds invitations to an invited round's voter roll, at most `maxPerRound` in all (revoked ones
 * included: the cap bounds the table, not the turnout). The roll's counter row is locked first,
 * so two requests issuing at once are counted one after the other.
 */
export async function issueInvitations(
  pool: Pool,
  roundId: string,
  invitations: readonly NewInvitation[],
  maxPerRound: number,
): Promise<IssueOutcome> {
  return inTransaction(pool, async (client) => {
    const roll = await client.query<{ issued: number; open: boolean }>({
      name: 'lock_voter_roll',
      text: `SELECT v.issued, round_is_open(r.closed_at, r.closes_at, now()) AS open
        FROM voter_rolls v JOIN rounds r USING (round_id)
        WHERE v.round_id = $1
        FOR UPDATE OF v`,
      values: [roundId],
    });
    const row = roll.rows[0];
    // Every invited round has its roll's row from its creation (insertRound).
    if (!row) return { outcome: 'not_invited' };
    if (!row.open) return { outcome: 'closed' };
    if (row.issued + invitations.length > maxPerRound)
      return { outcome: 'roll_full', issued: row.issued };
    const inserted = await client.query<{ issued_at: Date }>({
      name: 'insert_invitations',
      text: `WITH added AS (
          INSERT INTO invitations (round_id, invitation_id, code_hash, label, position)
          SELECT $1, id, code_hash, label, $5 + n
          FROM unnest($2::uuid[], $3::bytea[], $4::text[]) WITH ORDINALITY AS t(id, code_hash, label, n)
          RETURNING issued_at
        ), counted AS (
          UPDATE voter_rolls SET issued = issued + (SELECT count(*) FROM added) WHERE round_id = $1
        )
        SELECT min(issued_at) AS issued_at FROM added`,
      values: [
        roundId,
        invitations.map((invitation) => invitation.invitationId),
        invitations.map((invitation) => invitation.codeHash),
        invitations.map((invitation) => invitation.label),
        row.issued,
      ],
    });
    return { outcome: 'issued', issuedAt: inserted.rows[0]?.issued_at ?? new Date() };
  });
}

export interface InvitationRow {
  invitationId: string;
  /** 1, 2, 3, … in the order issued. */
  position: number;
  label: string;
  issuedAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface InvitationsPage {
  invitations: InvitationRow[];
  /** Position of the last row, to fetch the next page from; null on the last page. */
  next: number | null;
}

/** A round's voter roll in the order issued, by keyset pagination. Never what anyone chose. */
export async function listInvitations(
  db: Queryable,
  roundId: string,
  limit: number,
  afterPosition: number,
): Promise<InvitationsPage> {
  const result = await db.query<{
    invitation_id: string;
    position: number;
    label: string;
    issued_at: Date;
    used_at: Date | null;
    revoked_at: Date | null;
  }>({
    name: 'list_invitations',
    text: `SELECT invitation_id, position, label, issued_at, used_at, revoked_at FROM invitations
      WHERE round_id = $1 AND position > $3
      ORDER BY position
      LIMIT $2`,
    values: [roundId, limit + 1, afterPosition],
  });
  const invitations = result.rows.slice(0, limit).map((row) => ({
    invitationId: row.invitation_id,
    position: row.position,
    label: row.label,
    issuedAt: row.issued_at,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
  }));
  const last = invitations.at(-1);
  return { invitations, next: result.rows.length > limit && last ? last.position : null };
}

export type RevokeOutcome =
  | { outcome: 'revoked'; revokedAt: Date }
  | { outcome: 'used' }
  | { outcome: 'not_found' };

/**
 * Revokes an invitation that has not voted; revoking it again answers the first revocation. A
 * vote of the same code holds the invitation's row lock until it commits, so the revocation then
 * finds it used (and refuses), or the vote finds it revoked (and is refused): never both.
 */
export async function revokeInvitation(
  pool: Pool,
  roundId: string,
  invitationId: string,
): Promise<RevokeOutcome> {
  return inTransaction(pool, async (client) => {
    const revoked = await client.query<{ revoked_at: Date }>({
      name: 'revoke_invitation',
      text: `WITH revoked AS (
          UPDATE invitations SET revoked_at = date_trunc('milliseconds', now())
          WHERE round_id = $1 AND invitation_id = $2 AND used_at IS NULL AND revoked_at IS NULL
          RETURNING revoked_at
        ), counted AS (
          UPDATE voter_rolls SET revoked = revoked + 1
          WHERE round_id = $1 AND EXISTS (SELECT 1 FROM revoked)
        )
        SELECT revoked_at FROM revoked`,
      values: [roundId, invitationId],
    });
    if (revoked.rows[0]) return { outcome: 'revoked', revokedAt: revoked.rows[0].revoked_at };
    // Nothing changed: a fresh statement sees why, including a vote that committed meanwhile.
    const existing = await client.query<{ used_at: Date | null; revoked_at: Date | null }>({
      name: 'invitation_state',
      text: 'SELECT used_at, revoked_at FROM invitations WHERE round_id = $1 AND invitation_id = $2',
      values: [roundId, invitationId],
    });
    const row = existing.rows[0];
    if (!row) return { outcome: 'not_found' };
    if (row.revoked_at) return { outcome: 'revoked', revokedAt: row.revoked_at };
    return { outcome: 'used' };
  });
}
