import type { Queryable, RoundDefinition } from '@voting/db';
import { createRegistry } from '@voting/runtime';
import { describe, expect, it } from 'vitest';
import { createVoteMetrics, VOTE_SERIES_MAX_BYTES } from './metrics.ts';

let roundCount = 0;
function roundOf(fields: Partial<RoundDefinition> = {}): RoundDefinition {
  roundCount++;
  return {
    roundId: `00000000-0000-4000-8000-${String(roundCount).padStart(12, '0')}`,
    name: `Round ${roundCount}`,
    method: 'plurality',
    minChoices: null,
    maxChoices: null,
    allowRevote: false,
    resultsVisibility: 'live',
    publicBallots: false,
    voters: 'anyone',
    listed: false,
    adminTokenHash: Buffer.alloc(32),
    createdAt: new Date(),
    closesAt: null,
    opensAt: null,
    revision: 0,
    shuffleOptions: false,
    joinCode: null,
    options: [
      { option_id: 1, label: 'A' },
      { option_id: 2, label: 'B' },
    ],
    ...fields,
  };
}

/**
 * A database whose `readRoundsOpen` answers from `open` (a round not in it is closed, one in
 * `deleted` is gone), or fails while `down`.
 */
function fakeDatabase() {
  const state = { open: new Set<string>(), deleted: new Set<string>(), down: false };
  const db = {
    query: async (query: { values: [string[]] }) => {
      if (state.down) throw new Error('connect ECONNREFUSED 10.1.2.3:5432');
      return {
        rows: query.values[0]
          .filter((id) => !state.deleted.has(id))
          .map((round_id) => ({ round_id, open: state.open.has(round_id) })),
      };
    },
  } as unknown as Queryable;
  return { db, state };
}

function setUp(maxSeriesBytes?: number) {
  const registry = createRegistry('vote');
  const { db, state } = fakeDatabase();
  const metrics = createVoteMetrics(registry, {
    db,
    maxRounds: 200,
    closedTtlSeconds: 3600,
    maxSeriesBytes,
  });
  const votesOf = async (roundId: string) =>
    (await registry.metrics())
      .split('\n')
      .filter((line) => line.startsWith('voting_votes_total{') && line.includes(roundId));
  return { registry, metrics, state, votesOf };
}

describe('vote metrics', () => {
  it('shows no per-option series of a round whose results are hidden until it closes', async () => {
    const { metrics, state, votesOf, registry } = setUp();
    const hidden = roundOf({ resultsVisibility: 'after_close' });
    state.open.add(hidden.roundId);
    metrics.roundOpened(hidden);
    for (let i = 0; i < 5; i++) metrics.voteAccepted(hidden, [1]);
    expect(await votesOf(hidden.roundId)).toEqual([]);
    expect(await registry.metrics()).toContain(`voting_round_open{round_id="${hidden.roundId}"`);

    // The database away: what the replica does not know to be closed stays hidden.
    state.open.delete(hidden.roundId);
    state.down = true;
    expect(await votesOf(hidden.roundId)).toEqual([]);

    // Closed (by anyone): the counts this replica accepted appear.
    state.down = false;
    const shown = await votesOf(hidden.roundId);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/option_id="1".* 5$/);
  });

  it('shows a hidden round closed by this replica at the next scrape', async () => {
    const { metrics, state, votesOf } = setUp();
    const hidden = roundOf({ resultsVisibility: 'after_close' });
    state.open.add(hidden.roundId);
    metrics.voteAccepted(hidden, [2]);
    metrics.roundClosed(hidden);
    expect(await votesOf(hidden.roundId)).toHaveLength(1);
  });

  it('drops a round deleted through another replica at the next scrape', async () => {
    const { metrics, state, votesOf, registry } = setUp();
    const round = roundOf();
    state.open.add(round.roundId);
    metrics.roundOpened(round);
    metrics.voteAccepted(round, [1]);
    expect(await votesOf(round.roundId)).toHaveLength(1);
    state.deleted.add(round.roundId);
    expect(await votesOf(round.roundId)).toEqual([]);
    expect(await registry.metrics()).not.toContain(round.roundId);
  });

  it('drops a round deleted here at once', async () => {
    const { metrics, state, registry } = setUp();
    const round = roundOf();
    state.open.add(round.roundId);
    metrics.roundOpened(round);
    metrics.voteAccepted(round, [2]);
    metrics.roundDeleted(round.roundId);
    expect(await registry.metrics()).not.toContain(round.roundId);
  });

  it('cuts round names and option labels to 64 characters', async () => {
    const { metrics, state, votesOf } = setUp();
    const round = roundOf({
      name: 'N'.repeat(200),
      options: [
        { option_id: 1, label: `${'x'.repeat(62)}😀😀` },
        { option_id: 2, label: 'line\nbreak' },
      ],
    });
    state.open.add(round.roundId);
    metrics.voteAccepted(round, [1]);
    metrics.voteAccepted(round, [2]);
    const [first, second] = await votesOf(round.roundId);
    expect(first).toContain(`round_name="${'N'.repeat(63)}…"`);
    // Never half a surrogate pair.
    expect(first).toContain(`option_label="${'x'.repeat(62)}…"`);
    expect(second).toContain('option_label="line break"');
  });

  it('keeps the series of one scrape within their byte bound, most recently active rounds first', async () => {
    const { metrics, state, registry } = setUp();
    const label = (i: number) => `${i} ${'é"\\'.repeat(70)}`.slice(0, 200);
    const rounds = Array.from({ length: 200 }, (_, r) =>
      roundOf({
        name: label(r),
        method: 'approval',
        options: Array.from({ length: 100 }, (_, i) => ({ option_id: i + 1, label: label(i) })),
      }),
    );
    const everyOption = Array.from({ length: 100 }, (_, i) => i + 1);
    for (const round of rounds) {
      state.open.add(round.roundId);
      metrics.voteAccepted(round, everyOption);
    }
    const page = await registry.metrics();
    const series = page.split('\n').filter((line) => line.startsWith('voting_votes_total{'));
    expect(Buffer.byteLength(series.join('\n'))).toBeLessThanOrEqual(VOTE_SERIES_MAX_BYTES);
    expect(series.length).toBeGreaterThanOrEqual(200);
    // The newest round is in, whole; the oldest is not.
    const newest = rounds.at(-1)?.roundId ?? '';
    expect(series.filter((line) => line.includes(newest))).toHaveLength(100);
    expect(page).not.toContain(`round_id="${rounds[0]?.roundId}",round_name`);
    expect(page).toMatch(/^voting_votes_rounds_omitted\{service="vote"\} [1-9]\d*$/m);
  });
});
