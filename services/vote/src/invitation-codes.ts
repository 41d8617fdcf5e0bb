import { createHmac, randomBytes } from 'node:crypto';
import { AppError, forbidden } from '@voting/runtime';

/**
 * Invitation codes: 16 random bytes (128 bits), written as 22 base64url characters — short
 * enough for a link, far beyond guessing (2^128 codes; a million guesses a second for a century
 * finds one of 100,000 codes with odds below 10^-20).
 */
const CODE_BYTES = 16;
const CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newInvitationCode(): string {
  return randomBytes(CODE_BYTES).toString('base64url');
}

/**
 * Two keyed hashes of one code, under VOTER_KEY_SECRET, for two tables that must not join:
 * - `lookup`, stored in `invitations`, finds the invitation a ballot presents;
 * - `voterKey`, stored in `ballots` as any voter key is, makes one ballot per code a constraint.
 * Neither can be computed from the other without the code, so the database alone cannot tell
 * which invitation cast which ballot (docs/voter-rolls.md says who can).
 */
export function invitationKeys(
  secret: string,
  roundId: string,
  code: string,
): { lookup: Buffer; voterKey: Buffer } {
  return {
    lookup: createHmac('sha256', secret).update(`invitation\n${code}`).digest(),
    voterKey: createHmac('sha256', secret).update(`${roundId}\ninvited\n${code}`).digest(),
  };
}

/** The code a ballot of an invited round presents in `X-Invitation-Code`, checked for shape. */
export function presentedCode(header: string | undefined): string {
  if (header === undefined || header === '') {
    throw new AppError(
      401,
      'invitation_required',
      'this round is for invited voters: send the code of your invitation as X-Invitation-Code',
    );
  }
  if (!CODE_PATTERN.test(header)) throw invitationInvalid();
  return header;
}

export const invitationInvalid = () =>
  forbidden(
    'invitation_invalid',
    'this invitation code is not one of this round, or it was revoked',
  );
