import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerApp } from '../../../services/worker/src/app.ts';
import {
  getJson,
  postJson,
  testResultApp,
  testVoteApp,
  testWorkerApp,
} from '../../../test/support/apps.ts';
import { closeRoundAsAdmin, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

let db: TestDatabase;
let app: HttpApp;
let result: HttpApp;
let worker: WorkerApp;
const rounds: Record<string, { round_id: string; admin_token: string }> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  app = await testVoteApp(db.url, db.pool);
  result = await testResultApp(db.url, db.pool);
  worker = await testWorkerApp(db.url, db.pool);
  const settings: Record<string, object> = {
    plurality: {},
    approval: { method: 'approval', min_choices: 2, max_choices: 3 },
    ranked: { method: 'ranked' },
    condorcet: { method: 'condorcet' },
  };
  for (const [method, extra] of Object.entries(settings)) {
    const created = await postJson(app, '/rounds', {
      name: `${method} ballots`,
      options: ['A', 'B', 'C', 'D'],
      ...extra,
    });
    expect(created.status).toBe(201);
    rounds[method] = created.body;
  }
});
afterAll(async () => {
  await app.close();
  await result.close();
  await worker.app.close();
  await db.drop();
});

function roundOf(method: string): string {
  const round = rounds[method];
  if (!round) throw new Error(`no ${method} round`);
  return round.round_id;
}

async function stored(roundId: string) {
  const { rows } = await db.pool.query<{ choices: number[]; receipt: string }>(
    'SELECT choices, receipt FROM ballots WHERE round_id = $1 ORDER BY cast_at, receipt',
    [roundId],
  );
  const changes = await db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM ballot_changes WHERE round_id = $1',
    [roundId],
  );
  return { ballots: rows, changes: changes.rows[0]?.n ?? 0 };
}

describe("each method's ballot shape", () => {
  it.each([
    ['plurality', { option_id: 3 }, [3]],
    ['approval', { option_ids: [4, 1] }, [1, 4]],
    ['approval', { option_ids: [2, 3, 1] }, [1, 2, 3]],
    ['ranked', { ranking: [2, 4, 1, 3] }, [2, 4, 1, 3]],
    ['ranked', { ranking: [4] }, [4]],
    ['condorcet', { ranking: [3, 1] }, [3, 1]],
    ['condorcet', { ranking: [1, 2, 3, 4] }, [1, 2, 3, 4]],
  ])('%s accepts %j and stores it as %j', async (method, ballot, canonical) => {
    const roundId = roundOf(method);
    const before = await stored(roundId);
    const answer = await postJson(app, '/vote', { round_id: roundId, ...ballot });
    expect(answer).toMatchObject({
      status: 200,
      body: { ok: true, round_id: roundId, receipt: expect.any(String), replaced: false },
    });
    const after = await stored(roundId);
    expect(after.ballots).toHaveLength(before.ballots.length + 1);
    expect(after.ballots.find((row) => row.receipt === answer.body.receipt)?.choices).toEqual(
      canonical,
    );
    // The receipt finds the ballot as counted.
    const check = await getJson(app, `/rounds/${roundId}/receipts/${answer.body.receipt}`);
    expect(check.body.choices).toEqual(canonical);
  });
});

describe('invalid ballots: 400 invalid_ballot saying what is wrong, nothing stored', () => {
  it.each([
    // unknown option
    ['approval', 'an unknown option', { option_ids: [1, 9] }, /option 9 is not an option/],
    ['ranked', 'an unknown option', { ranking: [2, 9] }, /option 9 is not an option/],
    ['condorcet', 'an unknown option', { ranking: [0] }, /option 0 is not an option/],
    // duplicates
    [
      'ranked',
      'a duplicate in a ranking',
      { ranking: [1, 2, 1] },
      /option 1 appears more than once/,
    ],
    [
      'condorcet',
      'a duplicate in a ranking',
      { ranking: [3, 3] },
      /option 3 appears more than once/,
    ],
    ['approval', 'a duplicate approval', { option_ids: [2, 2] }, /option 2 appears more than once/],
    // wrong shape for the method
    ['plurality', 'a ranking', { ranking: [1, 2] }, /plurality voting: send option_id/],
    ['plurality', 'option_ids', { option_ids: [1] }, /send option_id/],
    ['approval', 'option_id', { option_id: 1 }, /approval voting: send option_ids/],
    ['approval', 'a ranking', { ranking: [1, 2] }, /send option_ids/],
    ['ranked', 'option_id', { option_id: 1 }, /ranked voting: send ranking/],
    ['condorcet', 'option_ids', { option_ids: [1, 2] }, /condorcet voting: send ranking/],
    ['ranked', 'both ranking and option_id', { ranking: [1], option_id: 1 }, /only, not option_id/],
    ['plurality', 'no ballot at all', {}, /send option_id/],
    ['ranked', 'a ranking that is not a list', { ranking: 1 }, /must be array/],
    // approval limits (this round: 2 to 3 options)
    ['approval', 'too few approvals', { option_ids: [1] }, /choose at least 2 options/],
    ['approval', 'no approval', { option_ids: [] }, /choose at least 2 options/],
    ['approval', 'too many approvals', { option_ids: [1, 2, 3, 4] }, /choose at most 3 options/],
    // empty ranking
    ['ranked', 'an empty ranking', { ranking: [] }, /at least one option/],
    ['condorcet', 'an empty ranking', { ranking: [] }, /at least one option/],
    // non-integers
    ['plurality', 'a fractional option id', { option_id: 1.5 }, /integer/],
    ['plurality', 'a string option id', { option_id: '1' }, /integer/],
    ['plurality', 'a null option id', { option_id: null }, /integer/],
    ['approval', 'a boolean in option_ids', { option_ids: [1, true] }, /integer/],
    ['ranked', 'a fractional id in a ranking', { ranking: [1, 2.5] }, /integer/],
    ['condorcet', 'a string in a ranking', { ranking: ['1', 2] }, /integer/],
    ['ranked', 'an unsafe integer in a ranking', { ranking: [2 ** 60] }, /integer option id/],
  ])('%s refuses %s', async (method, _what, ballot, message) => {
    const roundId = roundOf(method);
    const before = await stored(roundId);
    const answer = await postJson(app, '/vote', { round_id: roundId, ...ballot });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'invalid_ballot', message: expect.any(String) });
    expect(answer.body.message).toMatch(message);
    expect(await stored(roundId)).toEqual(before);
  });

  it('keeps the seed answer for an unknown plurality option: 404 option_not_found', async () => {
    const roundId = roundOf('plurality');
    const before = await stored(roundId);
    const answer = await postJson(app, '/vote', { round_id: roundId, option_id: 9 });
    expect(answer).toMatchObject({ status: 404, body: { error: 'option_not_found' } });
    expect(await stored(roundId)).toEqual(before);
  });
});

describe('the Tennessee capital example through HTTP (100 voters)', () => {
  // Memphis 42%, Nashville 26%, Chattanooga 15%, Knoxville 17%, each ranking by distance.
  const options = ['Memphis', 'Nashville', 'Chattanooga', 'Knoxville'];
  const electorate: [number, number[]][] = [
    [42, [1, 2, 3, 4]],
    [26, [2, 3, 4, 1]],
    [15, [3, 4, 2, 1]],
    [17, [4, 3, 2, 1]],
  ];

  async function runElection(method: string) {
    const round = await createRound(app, { name: `Tennessee ${method}`, method, options });
    const ballots = electorate.flatMap(([voters, ranking]) =>
      Array.from({ length: voters }, () =>
        method === 'plurality' ? { option_id: ranking[0] } : { ranking },
      ),
    );
    const answers = await Promise.all(
      ballots.map((ballot) => postJson(app, '/vote', { round_id: round.round_id, ...ballot })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    await closeRoundAsAdmin(app, round);
    await worker.loop.runOnce();
    const full = await getJson(result, `/rounds/${round.round_id}`);
    expect(full.body).toMatchObject({ status: 'closed', final: true, total_ballots: 100 });
    return full.body;
  }

  it('plurality elects Memphis', async () => {
    const full = await runElection('plurality');
    expect(full.results[0]).toMatchObject({ label: 'Memphis', votes: 42, share: 0.42 });
    expect(full.tabulation.result).toEqual({
      method: 'plurality',
      ballots: 100,
      counts: [
        { option_id: 1, votes: 42 },
        { option_id: 2, votes: 26 },
        { option_id: 3, votes: 15 },
        { option_id: 4, votes: 17 },
      ],
    });
  });

  it('instant runoff elects Knoxville', async () => {
    const full = await runElection('ranked');
    const { irv } = full.tabulation.result;
    expect(irv.winner).toBe(4);
    expect(
      irv.rounds.map((round: { tallies: { votes: number }[]; eliminated: number[] }) => [
        round.tallies.map((tally) => tally.votes),
        round.eliminated,
      ]),
    ).toEqual([
      [[42, 26, 15, 17], [3]],
      [[42, 26, 32], [2]],
      [[42, 58], []],
    ]);
    // The results list of a ranked round counts first choices.
    const list = await getJson(app, `/rounds/${full.round_id}/results`);
    expect(list.body[0]).toEqual({ option_id: 1, label: 'Memphis', votes: 42 });
  });

  it('Schulze elects Nashville, the Condorcet winner, and orders the rest', async () => {
    const full = await runElection('condorcet');
    const { schulze } = full.tabulation.result;
    expect(schulze.condorcet_winner).toBe(2);
    expect(schulze.winners).toEqual([2]);
    expect(schulze.ranking).toEqual([[2], [3], [4], [1]]);
    expect(schulze.pairwise[1]).toEqual([58, 0, 68, 68]);
  });
});
