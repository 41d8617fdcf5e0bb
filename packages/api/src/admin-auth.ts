import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RoundDefinition } from '@voting/db';
import { forbidden, unauthorized } from '@voting/runtime';

/** 32 random bytes: unguessable, so a fast hash (not a password KDF) is enough to store it. */
export function newAdminToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

/** Compares digests, not the strings, so the time taken says nothing about the token. */
function sameSecret(candidate: string, expectedHash: Buffer): boolean {
  return timingSafeEqual(hashToken(candidate), expectedHash);
}

/**
 * Whether the request holds the round's admin token, or the operator key `ADMIN_API_KEY`
 * (which administers every round).
 */
export function holdsRoundAdmin(
  round: RoundDefinition,
  authorization: string | undefined,
  adminApiKey: string | undefined,
): boolean {
  const token = bearerToken(authorization);
  if (token === null) return false;
  if (sameSecret(token, round.adminTokenHash)) return true;
  return adminApiKey !== undefined && sameSecret(token, hashToken(adminApiKey));
}

/** Throws 401 without a token and 403 with a wrong one. */
export function requireRoundAdmin(
  round: RoundDefinition,
  authorization: string | undefined,
  adminApiKey: string | undefined,
): void {
  if (bearerToken(authorization) === null) {
    throw unauthorized('send the round\'s admin token as "Authorization: Bearer <admin_token>"');
  }
  if (!holdsRoundAdmin(round, authorization, adminApiKey)) {
    throw forbidden('forbidden', 'the admin token does not match this round');
  }
}

/** Creating rounds: open to all unless `ADMIN_API_KEY` is set, then only to its holder. */
export function requireOperator(
  authorization: string | undefined,
  adminApiKey: string | undefined,
): void {
  if (adminApiKey === undefined) return;
  const token = bearerToken(authorization);
  if (token === null)
    throw unauthorized('creating rounds needs "Authorization: Bearer <ADMIN_API_KEY>"');
  if (!sameSecret(token, hashToken(adminApiKey)))
    throw forbidden('forbidden', 'the API key is wrong');
}
