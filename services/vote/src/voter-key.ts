import { createHmac, randomBytes } from 'node:crypto';
import { badRequest } from '@voting/runtime';

const voterIdPattern = /^[\x21-\x7e]{1,200}$/;

/**
 * The stored identity of a voter in a round: HMAC-SHA256(secret, round id + voter id). The raw id
 * is never stored, and the same voter gets unrelated keys in different rounds. A ballot cast
 * without `X-Voter-Id` gets random bytes, so it never collides with another. `roundId` must be
 * the canonical (lower-case) id, as the database returns it, so `ABC…` and `abc…` — one round to
 * PostgreSQL — give one voter one key (invariant 2).
 */
export function voterKey(secret: string, roundId: string, voterId: string | undefined): Buffer {
  if (voterId === undefined) return randomBytes(32);
  if (!voterIdPattern.test(voterId)) {
    throw badRequest('invalid_voter_id', 'X-Voter-Id must be 1–200 visible ASCII characters');
  }
  return createHmac('sha256', secret).update(`${roundId}\n${voterId}`).digest();
}
