import { type Queryable, type RoundDefinition, readOpenRoundIds } from '@voting/db';
import { countedChoices } from '@voting/domain';
import { RoundSeriesBound } from '@voting/runtime';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface VoteMetricsOptions {
  /** Where `voting_round_open` reads whether each tracked round is still open, at each scrape. */
  db: Queryable;
  maxRounds: number;
  closedTtlSeconds: number;
}

/**
 * The seed's vote metrics. Series are per round, so RoundSeriesBound keeps them bounded: at most
 * METRICS_MAX_ROUNDS rounds, and a closed round's series leave METRICS_CLOSED_ROUND_TTL_SECONDS
 * after its close. Each replica counts the votes it accepted; sum over replicas in queries.
 */
export function createVoteMetrics(registry: Registry, options: VoteMetricsOptions) {
  const bound = new RoundSeriesBound(options.maxRounds, options.closedTtlSeconds * 1000);
  const tracked = new Map<string, RoundDefinition>();

  const votes = new Counter({
    name: 'voting_votes_total',
    help: 'Ballots accepted, per option chosen (every approved option; first choice for ranked methods)',
    labelNames: ['round_id', 'round_name', 'option_id', 'option_label'],
    registers: [registry],
  });
  const roundOpen = new Gauge({
    name: 'voting_round_open',
    help: '1 while the round takes votes, 0 once closed (by anyone: its admin, any replica, its deadline)',
    labelNames: ['round_id'],
    registers: [registry],
    // Read at each scrape rather than set where this replica closes a round: another replica,
    // or the worker at the deadline, closes rounds this one never hears about. One indexed
    // query for at most METRICS_MAX_ROUNDS ids.
    collect: async () => {
      if (tracked.size === 0) return;
      const open = await readOpenRoundIds(options.db, [...tracked.keys()]).catch(() => null);
      // The database away: keep the last values, a scrape still answers.
      if (open === null) return;
      for (const roundId of [...tracked.keys()]) setOpen(roundId, open.has(roundId));
    },
  });

  const optionLabels = (round: RoundDefinition, option: { option_id: number; label: string }) => ({
    round_id: round.roundId,
    round_name: round.name,
    option_id: String(option.option_id),
    option_label: option.label,
  });

  function track(round: RoundDefinition): void {
    tracked.set(round.roundId, round);
    bound.touch(round.roundId, () => {
      for (const option of round.options) votes.remove(optionLabels(round, option));
      roundOpen.remove({ round_id: round.roundId });
      tracked.delete(round.roundId);
    });
  }

  function setOpen(roundId: string, open: boolean): void {
    if (!tracked.has(roundId)) return;
    roundOpen.set({ round_id: roundId }, open ? 1 : 0);
    if (!open) bound.closed(roundId);
  }

  return {
    roundOpened(round: RoundDefinition): void {
      track(round);
      setOpen(round.roundId, true);
    },
    voteAccepted(round: RoundDefinition, choices: readonly number[]): void {
      track(round);
      roundOpen.set({ round_id: round.roundId }, 1);
      const counted = countedChoices(round.method, choices);
      for (const option of round.options) {
        if (counted.includes(option.option_id)) votes.inc(optionLabels(round, option));
      }
    },
    roundClosed(round: RoundDefinition): void {
      track(round);
      setOpen(round.roundId, false);
    },
  };
}

export type VoteMetrics = ReturnType<typeof createVoteMetrics>;
