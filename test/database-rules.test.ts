/**
 * Each rule the database applies is written once in SQL (migrations 0004, 0008) and once in the domain;
 * this holds the two to the same answer for every method and every case, so the pages, the API,
 * the worker's aggregation and the vote path cannot disagree.
 */
import {
  countedChoices,
  hasStartedAt,
  isClosedAt,
  isOpenAt,
  METHOD_TRAITS,
  METHODS,
} from '@voting/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('the database applies the domain rules', () => {
  it('accepts exactly the domain methods in rounds.method', async () => {
    const { rows } = await database.pool.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = 'rounds'::regclass AND pg_get_constraintdef(oid) LIKE '%method%'`,
    );
    const allowed = [...(rows[0]?.definition.matchAll(/'(\w+)'::text/g) ?? [])].map((m) => m[1]);
    expect(allowed.sort()).toEqual([...METHODS].sort());
  });

  it.each(METHODS)('counts the choices the domain counts, for %s', async (method) => {
    for (const choices of [[3], [2, 1], [1, 2, 3, 4]]) {
      const { rows } = await database.pool.query<{ counted: number[]; ranks: boolean }>(
        'SELECT counted_choices($1, $2::smallint[]) AS counted, method_ranks($1) AS ranks',
        [method, choices],
      );
      expect(rows[0]?.counted).toEqual(countedChoices(method, choices));
      expect(rows[0]?.ranks).toBe(METHOD_TRAITS[method].ranks);
    }
  });

  it('opens and closes rounds when the domain does', async () => {
    const now = new Date('2026-06-01T12:00:00.000Z');
    const earlier = new Date(now.getTime() - 1000);
    const later = new Date(now.getTime() + 1000);
    for (const closedAt of [null, earlier, later]) {
      for (const closesAt of [null, earlier, now, later]) {
        const { rows } = await database.pool.query<{ open: boolean }>(
          'SELECT round_is_open($1, $2, $3) AS open',
          [closedAt, closesAt, now],
        );
        const where = `closed_at ${closedAt?.toISOString()}, closes_at ${closesAt?.toISOString()}`;
        expect(rows[0]?.open, where).toBe(!isClosedAt({ closesAt }, { closedAt }, now));
      }
    }
  });

  it('starts rounds when the domain does, and takes ballots exactly when the domain is open', async () => {
    const now = new Date('2026-06-01T12:00:00.000Z');
    const earlier = new Date(now.getTime() - 1000);
    const later = new Date(now.getTime() + 1000);
    for (const opensAt of [null, earlier, now, later]) {
      for (const closedAt of [null, earlier]) {
        for (const closesAt of [null, now, later]) {
          // The cast statement's rule: not closed (round_is_open) and started (round_has_started).
          const { rows } = await database.pool.query<{ started: boolean; takes: boolean }>(
            `SELECT round_has_started($1, $4) AS started,
               round_is_open($2, $3, $4) AND round_has_started($1, $4) AS takes`,
            [opensAt, closedAt, closesAt, now],
          );
          const where = `opens_at ${opensAt?.toISOString()}, closed_at ${closedAt?.toISOString()}, closes_at ${closesAt?.toISOString()}`;
          expect(rows[0]?.started, where).toBe(hasStartedAt({ closesAt, opensAt }, now));
          expect(rows[0]?.takes, where).toBe(isOpenAt({ closesAt, opensAt }, { closedAt }, now));
        }
      }
    }
  });
});
