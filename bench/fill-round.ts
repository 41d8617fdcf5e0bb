import { pathToFileURL } from 'node:url';
import { createClient, type Queryable } from '@voting/db';

/**
 * Adds `count` plurality ballots to a round in one bulk statement, far faster than casting them:
 * `generate_series` makes the ballots (voter keys `from+1 … from+count`, options in turn), and the
 * same statement adds what they change to the round's piles, option tallies and total — exactly
 * what the worker would have made of them, so readers see an exact round with nothing pending.
 * Call again with `from` = ballots so far to grow the round. For benchmarks only: it bypasses the
 * vote path on purpose.
 */
export async function fillPluralityRound(
  db: Queryable,
  roundId: string,
  { from, count, optionCount }: { from: number; count: number; optionCount: number },
): Promise<number> {
  const result = await db.query<{ added: number }>({
    text: `WITH inserted AS (
        INSERT INTO ballots (round_id, voter_key, receipt, choices)
        SELECT $1, int8send(g), gen_random_uuid(), ARRAY[(g % $4) + 1]::smallint[]
        FROM generate_series($2::bigint + 1, $2::bigint + $3::bigint) AS g
        RETURNING choices
      ), per_pile AS (
        SELECT choices, count(*) AS n FROM inserted GROUP BY choices
      ), piles_added AS (
        INSERT INTO piles (round_id, choices, ballots)
        SELECT $1, choices, n FROM per_pile ORDER BY choices
        ON CONFLICT (round_id, choices) DO UPDATE SET ballots = piles.ballots + excluded.ballots
      ), tallies_added AS (
        INSERT INTO option_tallies (round_id, option_id, votes)
        SELECT $1, choices[1], sum(n) FROM per_pile GROUP BY choices[1] ORDER BY choices[1]
        ON CONFLICT (round_id, option_id) DO UPDATE SET votes = option_tallies.votes + excluded.votes
      ), total_added AS (
        INSERT INTO round_totals (round_id, ballots, updated_at)
        SELECT $1, sum(n), now() FROM per_pile
        ON CONFLICT (round_id) DO UPDATE
          SET ballots = round_totals.ballots + excluded.ballots, updated_at = excluded.updated_at
      )
      SELECT COALESCE(sum(n), 0)::int AS added FROM per_pile`,
    values: [roundId, from, count, optionCount],
  });
  return result.rows[0]?.added ?? 0;
}

// `tsx bench/fill-round.ts <round_id> <count> [options] [from]` with DATABASE_URL set.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [roundId, count = '1000000', options = '2', from = '0'] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!roundId || !url) {
    process.stderr.write(
      'usage: DATABASE_URL=… tsx bench/fill-round.ts <round_id> [count] [options] [from]\n',
    );
    process.exit(2);
  }
  const client = createClient(url);
  await client.connect();
  try {
    const started = performance.now();
    const added = await fillPluralityRound(client, roundId, {
      from: Number(from),
      count: Number(count),
      optionCount: Number(options),
    });
    await client.query('ANALYZE ballots');
    process.stdout.write(
      `added ${added} ballots in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  } finally {
    await client.end();
  }
}
