import type { Method, ResultsVisibility, RoundRules, Voters } from '@voting/domain';
import type { Queryable } from '../pool.ts';
import { isJoinCodeTaken, JOIN_CODE_ATTEMPTS, randomJoinCode } from './join-codes.ts';

/**
 * A round's definition: what processes cache (RoundCatalog). Most of it never changes after
 * creation; the name, the option labels (until the first ballot) and the schedule (`opensAt`
 * before the start, `closesAt` while open) are edited by its admin, each edit counted in
 * `revision`, so a cache holding an older revision reloads it (ResultReader). The option ids never
 * change, so a ballot checked against an older revision is still a valid ballot; the schedule is
 * never taken from a cache where it matters: the vote's write checks it in the database.
 */
export interface RoundDefinition {
  roundId: string;
  name: string;
  method: Method;
  minChoices: number | null;
  maxChoices: number | null;
  allowRevote: boolean;
  resultsVisibility: ResultsVisibility;
  publicBallots: boolean;
  /** Who may vote: anyone, or the holders of the round's invitation codes. */
  voters: Voters;
  /** Whether GET /rounds and the home page show the round. */
  listed: boolean;
  adminTokenHash: Buffer;
  createdAt: Date;
  closesAt: Date | null;
  /** The scheduled start, if any: ballots before it are refused. */
  opensAt: Date | null;
  /** Edits of the definition so far (0 as created). */
  revision: number;
  /** Whether the voting page shows the options in a random order per voter. */
  shuffleOptions: boolean;
  /**
   * The short code that finds the round (GET /join/:code, /j/:code), drawn at creation and never
   * changed; null for a round created before migration 0009 (or by the release before it).
   */
  joinCode: string | null;
  options: { option_id: number; label: string }[];
}

/** The ballot rules of a round, in the shape `parseBallot` and `tabulate` take. */
export function roundRules(round: RoundDefinition): RoundRules {
  return {
    method: round.method,
    optionIds: round.options.map((option) => option.option_id),
    minChoices: round.minChoices ?? undefined,
    maxChoices: round.maxChoices ?? undefined,
  };
}

export interface RoundState {
  closedAt: Date | null;
  finalizedAt: Date | null;
}

export type NewRound = Omit<
  RoundDefinition,
  'createdAt' | 'options' | 'revision' | 'opensAt' | 'shuffleOptions' | 'joinCode'
> & {
  labels: string[];
  /** Unset: the round opens at once. */
  opensAt?: Date | null;
  /** Unset: the options in the creator's order. */
  shuffleOptions?: boolean;
};

export interface InsertedRound {
  createdAt: Date;
  joinCode: string;
}

/**
 * Stores a new round with its options (and an invited round's roll) in one statement, under a
 * join code of its own: a code that an open round holds already is refused by the unique index
 * `rounds_open_by_join_code` (migration 0009), and the insert is tried again with a new one, at
 * most JOIN_CODE_ATTEMPTS times in all. `db` is a pool or a client outside a transaction, since a
 * refused statement would end the transaction. `newCode` is for tests that need a collision.
 */
export async function insertRound(
  db: Queryable,
  round: NewRound,
  newCode: () => string = randomJoinCode,
): Promise<InsertedRound> {
  for (let attempt = 1; ; attempt++) {
    const joinCode = newCode();
    try {
      return { createdAt: await insertRoundWithCode(db, round, joinCode), joinCode };
    } catch (error) {
      if (attempt >= JOIN_CODE_ATTEMPTS || !isJoinCodeTaken(error)) throw error;
    }
  }
}

async function insertRoundWithCode(db: Queryable, round: NewRound, joinCode: string) {
  const result = await db.query<{ created_at: Date }>({
    name: 'insert_round',
    text: `WITH round AS (
        INSERT INTO rounds (round_id, name, method, min_choices, max_choices, allow_revote,
                            results_visibility, public_ballots, admin_token_hash, closes_at,
                            voters, listed, opens_at, shuffle_options, join_code)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, $13, $14, $15, $16)
        RETURNING round_id, created_at
      ), new_options AS (
        INSERT INTO options (round_id, option_id, label)
        SELECT round.round_id, label.ordinality, label.value
        FROM round, unnest($11::text[]) WITH ORDINALITY AS label(value, ordinality)
      ), roll AS (
        INSERT INTO voter_rolls (round_id) SELECT round_id FROM round WHERE $12 = 'invited'
      )
      SELECT created_at FROM round`,
    values: [
      round.roundId,
      round.name,
      round.method,
      round.minChoices,
      round.maxChoices,
      round.allowRevote,
      round.resultsVisibility,
      round.publicBallots,
      round.adminTokenHash,
      round.closesAt,
      round.labels,
      round.voters,
      round.listed,
      round.opensAt ?? null,
      round.shuffleOptions ?? false,
      joinCode,
    ],
  });
  const row = result.rows[0];
  if (!row) throw new Error('round insert returned no row');
  return row.created_at;
}

const definitionColumns = `r.round_id, r.name, r.method, r.min_choices, r.max_choices, r.allow_revote,
  r.results_visibility, r.public_ballots, r.voters, r.listed, r.admin_token_hash, r.created_at,
  r.closes_at, r.opens_at, r.revision, r.shuffle_options, r.join_code,
  (SELECT json_agg(json_build_object('option_id', o.option_id, 'label', o.label) ORDER BY o.option_id)
     FROM options o WHERE o.round_id = r.round_id) AS options`;

interface DefinitionRow {
  round_id: string;
  name: string;
  method: Method;
  min_choices: number | null;
  max_choices: number | null;
  allow_revote: boolean;
  results_visibility: ResultsVisibility;
  public_ballots: boolean;
  voters: Voters;
  listed: boolean;
  admin_token_hash: Buffer;
  created_at: Date;
  closes_at: Date | null;
  opens_at: Date | null;
  revision: number;
  shuffle_options: boolean;
  join_code: string | null;
  options: { option_id: number; label: string }[];
}

function toDefinition(row: DefinitionRow): RoundDefinition {
  return {
    roundId: row.round_id,
    name: row.name,
    method: row.method,
    minChoices: row.min_choices,
    maxChoices: row.max_choices,
    allowRevote: row.allow_revote,
    resultsVisibility: row.results_visibility,
    publicBallots: row.public_ballots,
    voters: row.voters,
    listed: row.listed,
    adminTokenHash: row.admin_token_hash,
    createdAt: row.created_at,
    closesAt: row.closes_at,
    opensAt: row.opens_at,
    revision: row.revision,
    shuffleOptions: row.shuffle_options,
    joinCode: row.join_code,
    options: row.options,
  };
}

export async function findRoundDefinition(
  db: Queryable,
  roundId: string,
): Promise<RoundDefinition | null> {
  const result = await db.query<DefinitionRow>({
    name: 'find_round_definition',
    text: `SELECT ${definitionColumns} FROM rounds r WHERE r.round_id = $1`,
    values: [roundId],
  });
  return result.rows[0] ? toDefinition(result.rows[0]) : null;
}

/**
 * The round's definition if its stored revision is not `revision` (it was edited since that
 * revision was read), else null; null too for an unknown round. A primary-key probe that returns
 * no row in the common case, so a reader can check its cached definition at each read.
 */
export async function findRoundDefinitionIfChanged(
  db: Queryable,
  roundId: string,
  revision: number,
): Promise<RoundDefinition | null> {
  const result = await db.query<DefinitionRow>({
    name: 'find_round_definition_if_changed',
    text: `SELECT ${definitionColumns} FROM rounds r WHERE r.round_id = $1 AND r.revision <> $2`,
    values: [roundId, revision],
  });
  return result.rows[0] ? toDefinition(result.rows[0]) : null;
}

export interface OpenRoundsPage {
  rounds: (RoundDefinition & RoundState)[];
  /** Keyset of the last row, to fetch the next page; null on the last page. */
  next: { createdAt: Date; roundId: string } | null;
}

/**
 * Listed open rounds, newest first, by keyset pagination (stable under inserts, no OFFSET scans).
 * Unlisted rounds are reachable by their link only.
 */
export async function listOpenRounds(
  db: Queryable,
  limit: number,
  after: { createdAt: Date; roundId: string } | null,
): Promise<OpenRoundsPage> {
  const result = await db.query<DefinitionRow>({
    name: 'list_open_rounds',
    text: `SELECT ${definitionColumns} FROM rounds r
      WHERE r.listed AND round_is_open(r.closed_at, r.closes_at, now())
        AND ($2::timestamptz IS NULL OR (r.created_at, r.round_id) < ($2, $3::uuid))
      ORDER BY r.created_at DESC, r.round_id DESC
      LIMIT $1`,
    values: [limit + 1, after?.createdAt ?? null, after?.roundId ?? null],
  });
  const rows = result.rows.slice(0, limit).map(toDefinition);
  const last = rows.at(-1);
  return {
    rounds: rows.map((row) => ({ ...row, closedAt: null, finalizedAt: null })),
    next:
      result.rows.length > limit && last
        ? { createdAt: last.createdAt, roundId: last.roundId }
        : null,
  };
}

/**
 * Closes a round; idempotent. The UPDATE's row lock waits for every vote transaction holding the
 * round FOR SHARE, so each vote acknowledged before this returns is counted and each vote after it
 * sees the round closed. A round past its deadline is closed as of that deadline.
 */
export async function closeRound(db: Queryable, roundId: string): Promise<Date | null> {
  const closed = await db.query<{ closed_at: Date }>({
    name: 'close_round',
    text: `UPDATE rounds SET closed_at = LEAST(now(), COALESCE(closes_at, now()))
      WHERE round_id = $1 AND closed_at IS NULL
      RETURNING closed_at`,
    values: [roundId],
  });
  if (closed.rows[0]) return closed.rows[0].closed_at;
  // Already closed (perhaps a moment ago by a concurrent request): this statement's fresh
  // snapshot sees that close.
  const existing = await db.query<{ closed_at: Date | null }>({
    name: 'round_closed_at',
    text: 'SELECT closed_at FROM rounds WHERE round_id = $1',
    values: [roundId],
  });
  return existing.rows[0]?.closed_at ?? null;
}

export * from './round-lifecycle.ts';
