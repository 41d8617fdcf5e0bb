import type { Queryable } from '@voting/db';
import { countedChoices, type Method, type TabulationResult, tabulate } from '@voting/domain';

/** A round's counts in one comparable shape: sorted, zero rows left out. */
export interface Counts {
  /** `choices` as `{1,2}` text → ballots. */
  piles: Record<string, number>;
  /** option id → votes (every approved option; first choices for ranked methods). */
  tallies: Record<number, number>;
  ballots: number;
}

const key = (choices: number[]) => `{${choices.join(',')}}`;

/**
 * The truth: a recount of the round straight from its ballots table, ignoring every aggregate.
 * `SELECT choices, count(*) FROM ballots GROUP BY choices` gives the piles; the per-option
 * tallies follow from them by the round's method.
 */
export async function recount(db: Queryable, roundId: string): Promise<Counts> {
  const method = (
    await db.query<{ method: Method }>('SELECT method FROM rounds WHERE round_id = $1', [roundId])
  ).rows[0]?.method;
  if (!method) throw new Error(`no round ${roundId}`);
  const rows = (
    await db.query<{ choices: number[]; n: number }>(
      'SELECT choices, count(*)::int AS n FROM ballots WHERE round_id = $1 GROUP BY choices',
      [roundId],
    )
  ).rows;
  const counts: Counts = { piles: {}, tallies: {}, ballots: 0 };
  for (const { choices, n } of rows) {
    counts.piles[key(choices)] = n;
    counts.ballots += n;
    for (const option of countedChoices(method, choices))
      counts.tallies[option] = (counts.tallies[option] ?? 0) + n;
  }
  return counts;
}

/**
 * What the worker's aggregates say: piles, option_tallies and round_totals as stored (pending
 * changes NOT added). Rows at zero are legitimate leftovers of revotes and are left out.
 */
export async function storedAggregates(db: Queryable, roundId: string): Promise<Counts> {
  const [piles, tallies, totals] = await Promise.all([
    db.query<{ choices: number[]; ballots: number }>(
      'SELECT choices, ballots FROM piles WHERE round_id = $1 AND ballots <> 0',
      [roundId],
    ),
    db.query<{ option_id: number; votes: number }>(
      'SELECT option_id, votes FROM option_tallies WHERE round_id = $1 AND votes <> 0',
      [roundId],
    ),
    db.query<{ ballots: number }>('SELECT ballots FROM round_totals WHERE round_id = $1', [
      roundId,
    ]),
  ]);
  return {
    piles: Object.fromEntries(piles.rows.map((row) => [key(row.choices), Number(row.ballots)])),
    tallies: Object.fromEntries(tallies.rows.map((row) => [row.option_id, Number(row.votes)])),
    ballots: Number(totals.rows[0]?.ballots ?? 0),
  };
}

export async function pendingChanges(db: Queryable, roundId?: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    roundId === undefined
      ? 'SELECT count(*)::int AS n FROM ballot_changes'
      : 'SELECT count(*)::int AS n FROM ballot_changes WHERE round_id = $1',
    roundId === undefined ? [] : [roundId],
  );
  return result.rows[0]?.n ?? 0;
}

/** Negative aggregate rows may exist only while changes are pending; never once drained. */
export async function negativeAggregateRows(db: Queryable, roundId: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM piles WHERE round_id = $1 AND ballots < 0)
          + (SELECT count(*) FROM option_tallies WHERE round_id = $1 AND votes < 0)
          + (SELECT count(*) FROM round_totals WHERE round_id = $1 AND ballots < 0) AS n`,
    [roundId],
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** Reads one sample of a Prometheus text exposition, e.g. `worker_heartbeat{service="worker"}`. */
export function metricValue(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const series = line.slice(0, space);
    const bare = series.split('{')[0];
    if (bare !== name) continue;
    if (labels && !series.includes(labels)) continue;
    return Number(line.slice(space + 1));
  }
  return undefined;
}

/** The round's result tabulated by the domain code from a recount of its ballots table. */
export async function recountTabulation(db: Queryable, roundId: string): Promise<TabulationResult> {
  const round = (
    await db.query<{ method: Method; min_choices: number | null; max_choices: number | null }>(
      'SELECT method, min_choices, max_choices FROM rounds WHERE round_id = $1',
      [roundId],
    )
  ).rows[0];
  if (!round) throw new Error(`no round ${roundId}`);
  const options = await db.query<{ option_id: number }>(
    'SELECT option_id FROM options WHERE round_id = $1 ORDER BY option_id',
    [roundId],
  );
  const piles = await db.query<{ choices: number[]; n: number }>(
    'SELECT choices, count(*)::int AS n FROM ballots WHERE round_id = $1 GROUP BY choices',
    [roundId],
  );
  return tabulate(
    {
      method: round.method,
      optionIds: options.rows.map((row) => row.option_id),
      minChoices: round.min_choices ?? undefined,
      maxChoices: round.max_choices ?? undefined,
    },
    piles.rows.map((row) => ({ choices: row.choices, count: row.n })),
    roundId,
  );
}
