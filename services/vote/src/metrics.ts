import type { RoundDefinition } from '@voting/db';
import { RoundSeriesBound } from '@voting/runtime';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The seed's vote metrics. Series are per round, so RoundSeriesBound keeps them bounded: at most
 * METRICS_MAX_ROUNDS rounds, and a closed round's series leave METRICS_CLOSED_ROUND_TTL_SECONDS
 * after its close. Each replica counts the votes it accepted; sum over replicas in queries.
 */
export class VoteMetrics {
  readonly #votes: Counter<'round_id' | 'round_name' | 'option_id' | 'option_label'>;
  readonly #roundOpen: Gauge<'round_id'>;
  readonly #bound: RoundSeriesBound;

  constructor(registry: Registry, bound: { maxRounds: number; closedTtlSeconds: number }) {
    this.#votes = new Counter({
      name: 'voting_votes_total',
      help: 'Ballots accepted, per option chosen (every approved option; first choice for ranked methods)',
      labelNames: ['round_id', 'round_name', 'option_id', 'option_label'],
      registers: [registry],
    });
    this.#roundOpen = new Gauge({
      name: 'voting_round_open',
      help: '1 while the round takes votes, 0 once closed',
      labelNames: ['round_id'],
      registers: [registry],
    });
    this.#bound = new RoundSeriesBound(bound.maxRounds, bound.closedTtlSeconds * 1000);
  }

  roundOpened(round: RoundDefinition): void {
    this.#track(round);
    this.#roundOpen.set({ round_id: round.roundId }, 1);
  }

  voteAccepted(round: RoundDefinition, choices: number[]): void {
    this.#track(round);
    this.#roundOpen.set({ round_id: round.roundId }, 1);
    const counted =
      round.method === 'ranked' || round.method === 'condorcet' ? choices.slice(0, 1) : choices;
    for (const option of round.options) {
      if (counted.includes(option.option_id)) this.#votes.inc(this.#optionLabels(round, option));
    }
  }

  roundClosed(round: RoundDefinition): void {
    this.#track(round);
    this.#roundOpen.set({ round_id: round.roundId }, 0);
    this.#bound.closed(round.roundId);
  }

  #optionLabels(round: RoundDefinition, option: { option_id: number; label: string }) {
    return {
      round_id: round.roundId,
      round_name: round.name,
      option_id: String(option.option_id),
      option_label: option.label,
    };
  }

  #track(round: RoundDefinition): void {
    this.#bound.touch(round.roundId, () => {
      for (const option of round.options) this.#votes.remove(this.#optionLabels(round, option));
      this.#roundOpen.remove({ round_id: round.roundId });
    });
  }
}
