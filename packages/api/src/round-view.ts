import type { RoundDefinition, RoundState } from '@voting/db';
import type { Static } from 'typebox';
import type { RoundSchema } from './schemas.ts';

export type RoundView = Static<typeof RoundSchema>;

export function isClosed(
  round: RoundDefinition,
  state: Pick<RoundState, 'closedAt'>,
  now = new Date(),
): boolean {
  return state.closedAt !== null || (round.closesAt !== null && round.closesAt <= now);
}

/** The public description of a round: never its admin token hash. */
export function roundView(round: RoundDefinition, state: Pick<RoundState, 'closedAt'>): RoundView {
  const deadlinePassed =
    state.closedAt === null && round.closesAt !== null && round.closesAt <= new Date();
  const closedAt = state.closedAt ?? (deadlinePassed ? round.closesAt : null);
  return {
    round_id: round.roundId,
    name: round.name,
    method: round.method,
    status: closedAt ? 'closed' : 'open',
    options: round.options,
    allow_revote: round.allowRevote,
    results_visibility: round.resultsVisibility,
    public_ballots: round.publicBallots,
    min_choices: round.minChoices,
    max_choices: round.maxChoices,
    created_at: round.createdAt.toISOString(),
    closes_at: round.closesAt?.toISOString() ?? null,
    closed_at: closedAt?.toISOString() ?? null,
  };
}
