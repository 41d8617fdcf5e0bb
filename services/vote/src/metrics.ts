import { type Queryable, type RoundDefinition, readRoundsOpen } from '@voting/db';
import { countedChoices, mayReadResults } from '@voting/domain';
import { boundedLabel, RoundSeriesBound } from '@voting/runtime';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface VoteMetricsOptions {
  /** Where the scrape reads whether each tracked round is still open. */
  db: Queryable;
  maxRounds: number;
  closedTtlSeconds: number;
  /** Most bytes the `voting_votes_total` series may take in one scrape; see VOTE_SERIES_MAX_BYTES. */
  maxSeriesBytes?: number;
}

/**
 * Most bytes of `voting_votes_total` series in one scrape: whole rounds, the most recently active
 * first, while they fit. The rest of a vote replica's page is at most ~145 KB: Node.js defaults
 * (~8 KB), `voting_round_open` (~85 bytes × METRICS_MAX_ROUNDS: 17 KB at 200) and the request
 * durations (~1.8 KB per method, route and status: ~85 KB after a client made every route answer
 * every status it can, ~35 KB more if every route also answered 503 in a database outage). So a
 * scrape stays under 256 KB: 96 KiB is ~190 series of the longest labels (~500 bytes each: 64
 * characters of 3-byte UTF-8 in both labels), ~350 of 200-character ASCII labels cut to 64, ~550
 * of short ones. docs/performance.md ("Metrics") has the measurements.
 */
export const VOTE_SERIES_MAX_BYTES = 96 * 1024;

/**
 * Bytes of one series besides its two free-text labels, counted high: the metric name, label
 * names, quotes and commas (80), the round id (36), the option id (≤ 3), the service label (15),
 * a value of up to 15 digits and the newline.
 */
const SERIES_FIXED_BYTES = 160;

/** Bytes of a label value once Prometheus escapes it (`\`, `"` and newline take two). */
const escapedBytes = (value: string) =>
  Buffer.byteLength(value) + (value.match(/[\\"\n]/g)?.length ?? 0);

interface ScrapePlan {
  /** Rounds whose counts this scrape exports, most recently active first. */
  exported: TrackedRound[];
  /** Rounds whose counts could be shown but did not fit in the byte bound. */
  omitted: number;
}

/** A round this replica counts votes for: its definition, label values, and its own counts. */
interface TrackedRound {
  round: RoundDefinition;
  /** Known closed: a closed round never reopens. Unknown counts as open, so hidden stays hidden. */
  closed: boolean;
  roundName: string;
  /** Per option (in the round's order): its label values and the size of its series line. */
  options: { id: string; label: string; bytes: number }[];
  /** Index of each option id in `options`. */
  index: Map<number, number>;
  /** Ballots this replica accepted, per option index: kept here, exposed only when allowed. */
  counts: number[];
  /** The size of this round's series: those of its options with a count. */
  seriesBytes: number;
}

/**
 * The seed's vote metrics, with what each series may say decided at scrape time:
 *
 * - `voting_votes_total{round_id,round_name,option_id,option_label}`: the ballots this replica
 *   accepted per option. The counts live in this module and become series only when the domain's
 *   rule (`mayReadResults`, for a viewer without the admin token) lets anyone see the round's
 *   results: a round whose results are hidden until close has no series at all until a scrape
 *   finds it closed. Label values are cut to 64 characters (`boundedLabel`), and the series of
 *   one scrape to VOTE_SERIES_MAX_BYTES, whole rounds, most recently active first.
 * - `voting_round_open{round_id}`: 1 while the round takes votes, read at each scrape (another
 *   replica or the worker at the deadline closes rounds this one never hears about).
 *
 * Rounds are bounded as before (RoundSeriesBound): at most METRICS_MAX_ROUNDS, and a closed round
 * is forgotten METRICS_CLOSED_ROUND_TTL_SECONDS after its close. Each replica counts the votes it
 * accepted; sum over replicas in queries.
 */
export function createVoteMetrics(registry: Registry, options: VoteMetricsOptions) {
  const maxSeriesBytes = options.maxSeriesBytes ?? VOTE_SERIES_MAX_BYTES;
  const bound = new RoundSeriesBound(options.maxRounds, options.closedTtlSeconds * 1000);
  /** Tracked rounds; Map order is activity order (re-inserted on each vote), stalest first. */
  const tracked = new Map<string, TrackedRound>();

  /**
   * What one scrape exports, worked out once per scrape and shared by the three metrics that
   * need it (the registry collects them concurrently): which tracked rounds are still open (one
   * indexed query for at most METRICS_MAX_ROUNDS ids), then which rounds' counts may be shown and
   * fit. With the database away a scrape keeps the last known states: a round not yet seen
   * closed stays hidden. A round the database no longer has was deleted: it is forgotten.
   */
  let preparing: Promise<ScrapePlan> | undefined;
  const prepare = () => {
    preparing ??= plan().finally(() => {
      preparing = undefined;
    });
    return preparing;
  };

  async function plan(): Promise<ScrapePlan> {
    if (tracked.size > 0) {
      const open = await readRoundsOpen(options.db, [...tracked.keys()]).catch(() => null);
      if (open !== null)
        for (const [roundId, entry] of tracked) {
          const isOpen = open.get(roundId);
          // Deleted (by an admin, through any replica): its series go at once, as they did on
          // the replica that deleted it.
          if (isOpen === undefined) forget(roundId);
          else if (!isOpen) markClosed(entry);
        }
    }
    const exported: TrackedRound[] = [];
    let omitted = 0;
    let budget = maxSeriesBytes;
    // Most recently active first: the stalest rounds are the ones left out.
    for (const entry of [...tracked.values()].reverse()) {
      if (!mayReadResults(entry.round, entry.closed, { isAdmin: false })) continue;
      if (entry.seriesBytes > budget) {
        omitted++;
        continue;
      }
      budget -= entry.seriesBytes;
      exported.push(entry);
    }
    return { exported, omitted };
  }

  new Counter({
    name: 'voting_votes_total',
    help: 'Ballots accepted, per option chosen (every approved option; first choice for ranked methods); none while a round hides its results',
    labelNames: ['round_id', 'round_name', 'option_id', 'option_label'],
    registers: [registry],
    async collect() {
      const { exported } = await prepare();
      this.reset();
      for (const entry of exported) {
        entry.options.forEach((option, i) => {
          const count = entry.counts[i] ?? 0;
          if (count === 0) return;
          this.inc(
            {
              round_id: entry.round.roundId,
              round_name: entry.roundName,
              option_id: option.id,
              option_label: option.label,
            },
            count,
          );
        });
      }
    },
  });

  new Gauge({
    name: 'voting_round_open',
    help: '1 while the round takes votes, 0 once closed (by anyone: its admin, any replica, its deadline)',
    labelNames: ['round_id'],
    registers: [registry],
    async collect() {
      await prepare();
      this.reset();
      for (const [roundId, entry] of tracked) this.set({ round_id: roundId }, entry.closed ? 0 : 1);
    },
  });

  new Gauge({
    name: 'voting_votes_rounds_omitted',
    help: 'Rounds with public results left out of voting_votes_total because the scrape reached its byte bound',
    registers: [registry],
    async collect() {
      this.set((await prepare()).omitted);
    },
  });

  function track(round: RoundDefinition): TrackedRound {
    let entry = tracked.get(round.roundId);
    if (entry) tracked.delete(round.roundId);
    else {
      const roundName = boundedLabel(round.name);
      const nameBytes = escapedBytes(roundName);
      const optionLabels = round.options.map((option) => {
        const label = boundedLabel(option.label);
        return {
          id: String(option.option_id),
          label,
          bytes: SERIES_FIXED_BYTES + nameBytes + escapedBytes(label),
        };
      });
      entry = {
        round,
        closed: false,
        roundName,
        options: optionLabels,
        index: new Map(round.options.map((option, i) => [option.option_id, i])),
        counts: round.options.map(() => 0),
        seriesBytes: 0,
      };
    }
    tracked.set(round.roundId, entry);
    bound.touch(round.roundId, () => tracked.delete(round.roundId));
    return entry;
  }

  function forget(roundId: string): void {
    tracked.delete(roundId);
    bound.forget(roundId);
  }

  function markClosed(entry: TrackedRound): void {
    if (entry.closed) return;
    entry.closed = true;
    bound.closed(entry.round.roundId);
  }

  return {
    roundOpened(round: RoundDefinition): void {
      track(round);
    },
    voteAccepted(round: RoundDefinition, choices: readonly number[]): void {
      const entry = track(round);
      for (const optionId of countedChoices(round.method, choices)) {
        const i = entry.index.get(optionId);
        if (i === undefined) continue;
        const count = entry.counts[i] ?? 0;
        // The option's first ballot here: from now on it has a series.
        if (count === 0) entry.seriesBytes += entry.options[i]?.bytes ?? 0;
        entry.counts[i] = count + 1;
      }
    },
    roundClosed(round: RoundDefinition): void {
      markClosed(track(round));
    },
    /** An edit (before any ballot: no counts yet) renames the round's series. */
    roundEdited(round: RoundDefinition): void {
      tracked.delete(round.roundId);
      track(round);
    },
    /** A deleted round's series go at once here, and at their next scrape on other replicas. */
    roundDeleted(roundId: string): void {
      forget(roundId);
    },
  };
}

export type VoteMetrics = ReturnType<typeof createVoteMetrics>;
