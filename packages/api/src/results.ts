import {
  findRoundDefinitionIfChanged,
  type LiveTallies,
  type Queryable,
  type RoundCatalog,
  type RoundDefinition,
  readLiveTallies,
  readRoundClosedAt,
  readStoredResult,
} from '@voting/db';
import { isClosedAt, listByVotes, METHOD_TRAITS, mayReadResults } from '@voting/domain';
import { forbidden, notFound } from '@voting/runtime';
import type { Static } from 'typebox';
import { holdsRoundAdmin } from './admin-auth.ts';
import { ReadCoalescer } from './read-coalescer.ts';
import { type RoundView, roundView } from './round-view.ts';
import type { FullResultSchema, ResultsListSchema } from './schemas.ts';

export type FullResult = Static<typeof FullResultSchema>;
export type ResultsList = Static<typeof ResultsListSchema>;

export interface ResultReaderOptions {
  db: Queryable;
  catalog: RoundCatalog;
  adminApiKey: string | undefined;
}

/** Reads round results for the vote and result services alike (one implementation, one shape). */
export class ResultReader {
  /** Readers of one round at once share a query that starts after each of them asked. */
  readonly #tallies = new ReadCoalescer<string, LiveTallies | null>();

  constructor(private readonly options: ResultReaderOptions) {}

  async round(roundId: string): Promise<RoundDefinition> {
    const round = await this.options.catalog.find(roundId);
    if (!round) throw notFound('round_not_found', `there is no round ${roundId}`);
    return round;
  }

  /**
   * The round's current definition: the cached one, checked against the stored revision (one
   * primary-key probe), for answers that show its name, labels or schedule.
   */
  async current(roundId: string): Promise<RoundDefinition> {
    const cached = await this.round(roundId);
    const changed = await findRoundDefinitionIfChanged(this.options.db, roundId, cached.revision);
    return this.#latest(cached, changed);
  }

  /**
   * A round without its figures: what a ballot needs (method, options, rules, open or closed).
   * Everyone may read it, whatever the round's results visibility.
   */
  async definition(roundId: string): Promise<RoundView> {
    const cached = await this.round(roundId);
    const state = await readRoundClosedAt(this.options.db, roundId);
    if (!state) throw notFound('round_not_found', `there is no round ${roundId}`);
    const round = await this.#atRevision(cached, state.revision);
    return roundView(round, state, state.asOf);
  }

  /**
   * The definition to show: the cached one, or the stored one when the round was edited since it
   * was cached (another replica's PATCH), which also replaces it in the cache. Edits change the
   * name, labels and schedule only, so everything a ballot or the admin check needs stays valid
   * in an older revision; what a reader shows (labels, status, whether hidden results may be
   * read) comes from the current one.
   */
  /**
   * The cached definition when it is of the revision a read just saw (the read carries the
   * round's revision, so checking costs nothing), else the stored one: an edit on another replica.
   */
  async #atRevision(cached: RoundDefinition, revision: number): Promise<RoundDefinition> {
    if (revision === cached.revision) return cached;
    const changed = await findRoundDefinitionIfChanged(
      this.options.db,
      cached.roundId,
      cached.revision,
    );
    return this.#latest(cached, changed);
  }

  #latest(cached: RoundDefinition, changed: RoundDefinition | null): RoundDefinition {
    if (!changed || changed.revision < cached.revision) return cached;
    this.options.catalog.remember(changed);
    return changed;
  }

  /**
   * The full result of a round: status, totals, per-option counts and shares, and for ranked
   * methods the worker's stored tabulation. `authorization` lets the round's admin see results
   * that are hidden until close.
   */
  async full(
    roundId: string,
    authorization?: string,
    options: { ignoreVisibility?: boolean; withTabulation?: boolean } = {},
  ): Promise<FullResult> {
    const cached = await this.round(roundId);
    const tallies = await this.#tallies.read(roundId, () =>
      readLiveTallies(this.options.db, roundId),
    );
    if (!tallies) throw notFound('round_not_found', `there is no round ${roundId}`);
    const round = await this.#atRevision(cached, tallies.revision);
    if (!options.ignoreVisibility) this.#assertVisible(round, tallies, authorization);

    const counts = listByVotes(round.options, tallies.votes);
    const result: FullResult = {
      ...roundView(round, tallies),
      total_ballots: tallies.ballots,
      results: counts.map((row) => ({
        ...row,
        share: tallies.ballots > 0 ? row.votes / tallies.ballots : 0,
      })),
      as_of: tallies.asOf.toISOString(),
      final: tallies.finalizedAt !== null,
    };
    // Turnout of an invited round: one ballot per invitation, so the ballots are who voted.
    if (tallies.eligible !== null) {
      result.eligible = tallies.eligible;
      result.voted = tallies.ballots;
    }
    // Ranked methods read their tabulation while open; every round's final result is stored
    // too, and published so that a recount can compare with exactly what was stored.
    const wantsTabulation = options.withTabulation ?? true;
    if (wantsTabulation && (METHOD_TRAITS[round.method].ranks || result.final)) {
      const stored = await readStoredResult(this.options.db, roundId);
      if (stored)
        result.tabulation = {
          as_of: stored.asOf.toISOString(),
          ballots: stored.ballots,
          result: stored.result,
        };
    }
    return result;
  }

  /** The results list: `[{option_id, label, votes}]`, most votes first, ties in option order. */
  async list(roundId: string, authorization?: string): Promise<ResultsList> {
    // The list has no tabulation: skip reading the stored one.
    const full = await this.full(roundId, authorization, { withTabulation: false });
    return full.results.map(({ option_id, label, votes }) => ({ option_id, label, votes }));
  }

  #assertVisible(
    round: RoundDefinition,
    state: { closedAt: Date | null },
    authorization: string | undefined,
  ): void {
    // Without an Authorization header (most reads) the token check returns at once.
    const isAdmin = holdsRoundAdmin(round, authorization, this.options.adminApiKey);
    if (mayReadResults(round, isClosedAt(round, state), { isAdmin })) return;
    throw forbidden('results_hidden', 'this round shows its results only after it closes');
  }
}
