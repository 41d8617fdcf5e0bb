import { type Queryable, type RoundDefinition, readPiles, storeResult } from '@voting/db';
import { tabulate } from '@voting/domain';

/**
 * Tabulates a round from its piles (identical ballots counted together, so the cost follows the
 * number of distinct ballots, not of ballots) and stores the result with the moment it is exact for.
 */
export async function tabulateAndStore(
  db: Queryable,
  round: RoundDefinition,
  final: boolean,
): Promise<void> {
  const { piles, asOf } = await readPiles(db, round.roundId);
  const rules = {
    method: round.method,
    optionIds: round.options.map((option) => option.option_id),
    minChoices: round.minChoices ?? undefined,
    maxChoices: round.maxChoices ?? undefined,
  };
  const result = tabulate(
    rules,
    piles.map((pile) => ({ choices: pile.choices, count: pile.ballots })),
    round.roundId,
  );
  await storeResult(db, { roundId: round.roundId, result, ballots: result.ballots, asOf, final });
}
