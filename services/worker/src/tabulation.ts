import {
  type Queryable,
  type RoundDefinition,
  readPiles,
  roundRules,
  storeResult,
} from '@voting/db';
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
  const result = tabulate(roundRules(round), piles, round.roundId);
  await storeResult(db, { roundId: round.roundId, result, ballots: result.ballots, asOf, final });
}
