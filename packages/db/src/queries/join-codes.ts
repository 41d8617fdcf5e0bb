import { randomInt } from 'node:crypto';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '@voting/domain';
import type { Queryable } from '../pool.ts';

/**
 * Join codes (packages/domain/src/join-code.ts has their shape): drawn here for each new round,
 * kept unique among the rounds not closed by the index `rounds_open_by_join_code` (migration
 * 0009), and looked up by GET /join/:code and /j/:code.
 */

/**
 * Tries at inserting a round before giving up on finding a free code. With 100,000 rounds open, a
 * random code is taken with probability 100,000 / 30^6 ≈ 1.4 × 10⁻⁴, so five draws all taken
 * happen once in ~2 × 10¹⁹ creations; a failure here means something else is wrong.
 */
export const JOIN_CODE_ATTEMPTS = 5;

/**
 * How long a closed round still answers to its code: the people in a room who type it after the
 * presenter closed the vote land on the closed round (which links to its results) for a day; after
 * that, and as soon as a new round takes the code, it leads there instead.
 */
export const CLOSED_ROUND_CODE_HOURS = 24;

/** A fresh code: each character drawn uniformly (crypto.randomInt rejects biased draws). */
export function randomJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++)
    code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** Whether an insert was refused because an open round holds its join code. */
export function isJoinCodeTaken(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'rounds_open_by_join_code';
}

export interface JoinedRound {
  roundId: string;
  closedAt: Date | null;
  closesAt: Date | null;
  opensAt: Date | null;
}

/**
 * The round a join code leads to: the one not closed that holds it, else the one with that code
 * closed last, if that was less than CLOSED_ROUND_CODE_HOURS ago; null otherwise. One scan of the
 * index `rounds_by_join_code` in its order (not closed first, then the latest close) over the
 * rounds that ever had the code, which is one unless codes were reused after a close. `code` is
 * a normalized code (normalizeJoinCode).
 */
export async function findRoundByJoinCode(
  db: Queryable,
  code: string,
): Promise<JoinedRound | null> {
  const result = await db.query<{
    round_id: string;
    closed_at: Date | null;
    closes_at: Date | null;
    opens_at: Date | null;
  }>({
    name: 'find_round_by_join_code',
    text: `SELECT round_id, closed_at, closes_at, opens_at FROM rounds
      WHERE join_code = $1
        AND (closed_at IS NULL OR closed_at > now() - $2 * interval '1 hour')
      ORDER BY closed_at DESC NULLS FIRST
      LIMIT 1`,
    values: [code, CLOSED_ROUND_CODE_HOURS],
  });
  const row = result.rows[0];
  return row
    ? {
        roundId: row.round_id,
        closedAt: row.closed_at,
        closesAt: row.closes_at,
        opensAt: row.opens_at,
      }
    : null;
}
