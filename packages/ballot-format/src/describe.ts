/**
 * A plain-text account of a recounted result, with option labels, as `npm run recount` prints
 * it: counts for plurality and approval, the rounds of an instant runoff, the Schulze tiers.
 */
import type { OptionId, TabulationResult } from '@voting/domain';
import type { ExportRound } from './shapes.ts';

/** A short plain-text account of a result, with option labels. */
export function describeResult(round: ExportRound, result: TabulationResult): string {
  const labels = new Map(round.options.map((option) => [option.option_id, option.label]));
  const name = (id: OptionId | null) =>
    id === null ? 'exhausted' : `${labels.get(id) ?? '?'} (${id})`;
  const out: string[] = [];
  switch (result.method) {
    case 'plurality':
    case 'approval': {
      const most = Math.max(0, ...result.counts.map((row) => row.votes));
      out.push(`${result.method}: ${result.ballots} ballots`);
      for (const row of [...result.counts].sort((a, b) => b.votes - a.votes)) {
        out.push(`  ${name(row.option_id)}: ${row.votes}`);
      }
      const leaders = result.counts.filter((row) => row.votes === most && most > 0);
      out.push(
        `most votes: ${leaders.length ? leaders.map((row) => name(row.option_id)).join(', ') : 'none'}`,
      );
      break;
    }
    case 'ranked':
      out.push(`instant runoff: ${result.ballots} ballots`);
      for (const irvRound of result.irv.rounds) {
        const tallies = irvRound.tallies
          .map((row) => `${labels.get(row.option_id) ?? row.option_id} ${row.votes}`)
          .join(', ');
        const eliminated = irvRound.eliminated.length
          ? `; eliminated ${irvRound.eliminated.map(name).join(', ')}${
              irvRound.elimination_tie_break
                ? ` (tie broken by ${irvRound.elimination_tie_break})`
                : ''
            }`
          : '';
        out.push(
          `  round ${irvRound.number}: ${tallies}; exhausted ${irvRound.exhausted}${eliminated}`,
        );
      }
      out.push(`winner: ${result.irv.winner === null ? 'none' : name(result.irv.winner)}`);
      break;
    case 'condorcet':
      out.push(`Schulze (winning votes): ${result.ballots} ballots`);
      result.schulze.ranking.forEach((tier, index) => {
        out.push(`  ${index + 1}. ${tier.map(name).join(' = ')}`);
      });
      out.push(
        `Condorcet winner: ${
          result.schulze.condorcet_winner === null ? 'none' : name(result.schulze.condorcet_winner)
        }`,
      );
      out.push(
        `winner${result.schulze.winners.length > 1 ? 's (tied)' : ''}: ${
          result.schulze.winners.map(name).join(', ') || 'none'
        }`,
      );
      break;
  }
  return out.join('\n');
}
