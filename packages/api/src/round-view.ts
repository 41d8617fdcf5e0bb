import type { RoundDefinition, RoundState } from '@voting/db';
import { closedAsOf, hasStartedAt, type RoundClosure, type RoundSchedule } from '@voting/domain';
import type { Static } from 'typebox';
import type { RoundSchema } from './schemas.ts';

export type RoundView = Static<typeof RoundSchema>;

/** Closed (by anyone, or its deadline), scheduled (before its start) or open, at `at`. */
export function roundStatus(
  round: RoundSchedule,
  state: RoundClosure,
  at: Date = new Date(),
): RoundView['status'] {
  return closedAsOf(round, state, at) ? 'closed' : hasStartedAt(round, at) ? 'open' : 'scheduled';
}

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
    status: roundStatus(round, { closedAt }, at),
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
    shuffle_options: round.shuffleOptions,
    join_code: round.joinCode,
  };
}
