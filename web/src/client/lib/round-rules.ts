/**
 * The domain's rules about a round, asked with the API's view of it: the pages decide nothing of
 * their own about who may see what.
 */
import { mayReadBallots, mayReadResults } from '@voting/domain';
import type { RoundView } from './types.ts';

const disclosure = (round: RoundView) => ({
  resultsVisibility: round.results_visibility,
  publicBallots: round.public_ballots,
});

/** Everyone may see the results now (without the admin token). */
export function resultsArePublic(round: RoundView): boolean {
  return mayReadResults(disclosure(round), round.status === 'closed', { isAdmin: false });
}

/** Everyone may download the ballots now (without the admin token). */
export function ballotsArePublic(round: RoundView): boolean {
  return mayReadBallots(disclosure(round), round.status === 'closed', { isAdmin: false });
}
