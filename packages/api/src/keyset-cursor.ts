import { badRequest } from '@voting/runtime';
import { canonicalId } from './ids.ts';

/** Where a page of a list ends: the time and id of its last row, the list's sort key. */
export interface Keyset {
  at: Date;
  id: string;
}

/** The opaque `next_cursor` of a list sorted by (time, id). */
export function encodeCursor(next: Keyset): string {
  return Buffer.from(JSON.stringify([next.at.toISOString(), next.id])).toString('base64url');
}

/**
 * A cursor is taken only in the exact form `encodeCursor` writes: an ISO time as `toISOString`
 * gives it, after 1970 (so no date PostgreSQL cannot hold) and a canonical id. Anything else is
 * 400 `invalid_cursor`, never a query.
 */
export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (cursor === undefined) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    const date = new Date(String(at));
    const canonical = typeof id === 'string' ? canonicalId(id) : null;
    if (
      canonical !== null &&
      typeof at === 'string' &&
      date.getTime() >= 0 &&
      date.toISOString() === at
    ) {
      return { at: date, id: canonical };
    }
  } catch {
    // falls through to the error below
  }
  throw badRequest('invalid_cursor', 'cursor is not one this API returned');
}
