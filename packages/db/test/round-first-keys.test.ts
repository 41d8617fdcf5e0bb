/**
 * Every table is keyed by its round first, so the schema can be sharded by round (a distributed
 * PostgreSQL such as Citus, docs/capacity.md): each key, unique index and foreign key of a
 * round-scoped table starts with `round_id`, and every other index is one of the few known
 * cross-round reads named below, each with what it would become. A new table, key or index that
 * breaks this fails here until it is made round-first or added to the list with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** Indexes that do not start with round_id, and why each may stay (docs/capacity.md). */
const CROSS_ROUND_INDEXES: Record<string, string> = {
  ballot_changes_oldest:
    "the worker's drain takes the oldest changes of all rounds; sharded, one drain per shard",
  rounds_listed_by_creation:
    'GET /rounds and the home page list rounds newest first; sharded, a merge of each shard’s page',
  rounds_due_to_close: 'the worker closes rounds whose deadline passed; sharded, per shard',
  rounds_awaiting_final: 'the worker finds closed rounds to finalize; sharded, per shard',
  // A code names no round until it is looked up, so its index cannot start with one.
  rounds_open_by_join_code:
    'a join code is unique among the open rounds of all rounds; sharded, a reference table ' +
    '(join_code → round_id, on every node, Citus) written with the round, whose key is the code',
  rounds_by_join_code:
    'GET /join/:code and /j/:code find a round by its code; sharded, that same reference table',
};

// The migrations' own bookkeeping is not round data.
const NOT_ROUND_DATA = new Set(['schema_migrations']);

describe('the schema is round-first', () => {
  it('has round_id as the first column of every table, key and foreign key', async () => {
    const { rows } = await database.pool.query<{
      table: string;
      kind: string;
      name: string;
      first: string;
    }>(
      `SELECT c.relname AS table, k.contype AS kind, k.conname AS name, a.attname AS first
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
       WHERE k.contype IN ('p', 'u', 'f')`,
    );
    const offenders = rows
      .filter((row) => !NOT_ROUND_DATA.has(row.table) && row.first !== 'round_id')
      .map((row) => `${row.table}.${row.name}`);
    expect(offenders).toEqual([]);
    const tables = new Set(rows.map((row) => row.table));
    expect(tables).toContain('ballots');
  });

  it('has no index outside the known cross-round reads that does not start with round_id', async () => {
    const { rows } = await database.pool.query<{ name: string; table: string; first: string }>(
      `SELECT i.relname AS name, t.relname AS table, a.attname AS first
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
       LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]`,
    );
    const roundData = rows.filter((row) => !NOT_ROUND_DATA.has(row.table));
    const crossRound = roundData.filter((row) => row.first !== 'round_id').map((row) => row.name);
    expect(crossRound.sort()).toEqual(Object.keys(CROSS_ROUND_INDEXES).sort());
  });
});
