import type { RoundDefinition, RoundState } from '@voting/db';
import { closedAsOf, hasStartedAt } from '@voting/domain';
import type { Static } from 'typebox';
import type { RoundSchema } from './schemas.ts';

export type RoundView = Static<typeof RoundSchema>;

/** The public description of a round: never its admin token hash. */
export function roundView(
  round: RoundDefinition,
  state: Pick<RoundState, 'closedAt'>,
  now?: Date,
): RoundView {
  const at = now ?? new Date();
  const closedAt = closedAsOf(round, state, at);
  return {
    round_id: round.roundId,
    name: round.name,
    method: round.method,
    status: closedAt ? 'closed' : hasStartedAt(round, at) ? 'open' : 'scheduled',
    options: round.options,
    allow_revote: round.allowRevote,
    results_visibility: round.resultsVisibility,
    public_ballots: round.publicBallots,
    voters: round.voters,
    listed: round.listed,
    min_choices: round.minChoices,
    max_choices: round.maxChoices,
    created_at: round.createdAt.toISOString(),
    closes_at: round.closesAt?.toISOString() ?? null,
    closed_at: closedAt?.toISOString() ?? null,
    opens_at: round.opensAt?.toISOString() ?? null,
  };
}
