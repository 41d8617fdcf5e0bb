import { createClient } from '@voting/db';

/**
 * Adds `count` plurality ballots to a round in bulk SQL (far faster than casting them) and
 * brings the round's aggregates to exactly what the worker would have made of them. For
 * benchmarks only: it bypasses the vote path on purpose.
 */
export async function seedPluralityBallots(
  databaseUrl: string,
  roundId: string,
  count: number,
  optionCount: number,
): Promise<void> {
  const client = createClient(databaseUrl);
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO ballots (round_id, voter_key, receipt, choices)
       SELECT $1, int8send(g), gen_random_uuid(), ARRAY[(g % $3) + 1]::smallint[]
       FROM generate_series(1, $2::bigint) AS g`,
      [roundId, count, optionCount],
    );
    await client.query(
      `INSERT INTO piles (round_id, choices, ballots)
       SELECT round_id, choices, count(*) FROM ballots WHERE round_id = $1 GROUP BY round_id, choices
       ON CONFLICT (round_id, choices) DO UPDATE SET ballots = excluded.ballots`,
      [roundId],
    );
    await client.query(
      `INSERT INTO option_tallies (round_id, option_id, votes)
       SELECT round_id, choices[1], count(*) FROM ballots WHERE round_id = $1 GROUP BY round_id, choices[1]
       ON CONFLICT (round_id, option_id) DO UPDATE SET votes = excluded.votes`,
      [roundId],
    );
    await client.query(
      `INSERT INTO round_totals (round_id, ballots)
       SELECT $1, count(*) FROM ballots WHERE round_id = $1
       ON CONFLICT (round_id) DO UPDATE SET ballots = excluded.ballots`,
      [roundId],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE ballots');
  } finally {
    await client.end();
  }
}
