import type { Queryable } from '../pool.ts';

/** One counted ballot as the public sees it: its receipt and choices, never its voter key. */
export interface PublicBallot {
  receipt: string;
  choices: number[];
}

export interface ReceiptBallot extends PublicBallot {
  castAt: Date;
}

/** The ballot a receipt names, or null (unknown receipt, or one replaced by a revote). */
export async function findBallotByReceipt(
  db: Queryable,
  roundId: string,
  receipt: string,
): Promise<ReceiptBallot | null> {
  const result = await db.query<{ receipt: string; choices: number[]; cast_at: Date }>({
    name: 'find_ballot_by_receipt',
    text: 'SELECT receipt, choices, cast_at FROM ballots WHERE round_id = $1 AND receipt = $2',
    values: [roundId, receipt],
  });
  const row = result.rows[0];
  return row ? { receipt: row.receipt, choices: row.choices, castAt: row.cast_at } : null;
}

/**
 * The next page of a round's ballots in receipt order: receipts in (afterReceipt, upToReceipt],
 * at most `limit` of them. Keyset pagination on the unique index ballots_by_receipt
 * (round_id, receipt), so a page costs the same however deep into the round it is, and receipt
 * order is random with respect to casting order, so the export's order says nothing about who
 * voted when.
 *
 * The upper bound is what keeps the total work linear: with statistics that underestimate the
 * round (a bulk load before ANALYZE, or the generic plan of a prepared statement), PostgreSQL may
 * fetch every remaining ballot of the round and sort them to return the first page: O(n) per
 * page, O(n²) per export. A window bounded above caps what any plan can touch; the caller sizes
 * it to about two pages (see ReceiptWindows in @voting/api).
 */
export async function readBallotPage(
  db: Queryable,
  roundId: string,
  afterReceipt: string,
  upToReceipt: string,
  limit: number,
): Promise<PublicBallot[]> {
  const result = await db.query<PublicBallot>({
    name: 'read_ballot_page',
    text: `SELECT receipt, choices FROM ballots
      WHERE round_id = $1 AND receipt > $2 AND receipt <= $3
      ORDER BY receipt
      LIMIT $4`,
    values: [roundId, afterReceipt, upToReceipt, limit],
  });
  return result.rows;
}

/**
 * Whether the round is closed, as of this statement, and its revision (null for an unknown
 * round).
 */
export async function readRoundClosedAt(
  db: Queryable,
  roundId: string,
): Promise<{ closedAt: Date | null; asOf: Date; revision: number } | null> {
  const result = await db.query<{ closed_at: Date | null; as_of: Date; revision: number }>({
    name: 'read_round_closed_at',
    text: `SELECT closed_at, statement_timestamp() AS as_of, revision FROM rounds
      WHERE round_id = $1`,
    values: [roundId],
  });
  const row = result.rows[0];
  return row ? { closedAt: row.closed_at, asOf: row.as_of, revision: row.revision } : null;
}

/**
 * Starts the read-only snapshot an export of a still-open round is read in: every page then sees
 * the ballots as of the same instant, so a revote during the download can neither drop a ballot
 * nor show one voter's old and new ballot side by side. Closed rounds do not need it (their
 * ballots no longer change) and are paged without holding a connection.
 */
export async function beginExportSnapshot(db: Queryable): Promise<void> {
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}

export async function endExportSnapshot(db: Queryable): Promise<void> {
  // Nothing was written: ending it either way releases the snapshot.
  await db.query('ROLLBACK');
}
