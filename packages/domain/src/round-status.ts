/**
 * When a round is open, and who may see what of it: the rules every layer asks here (the API,
 * the stream, the export, the metrics and the pages), and that the database's mirror
 * `round_is_open` (migration 0004) is tested against.
 */

export type ResultsVisibility = 'live' | 'after_close';

export interface RoundSchedule {
  /** The deadline, if any (set at creation, moved by its admin while the round is open). */
  closesAt: Date | null;
  /** The scheduled start, if any: ballots before it are refused (`round_not_open`). */
  opensAt?: Date | null;
}

export interface RoundClosure {
  /** When the round was closed (by its admin, or by a worker at its deadline), if it was. */
  closedAt: Date | null;
}

/**
 * When the round closed as of `now`, or null while it is open. A round is closed from the moment
 * it was closed or from its deadline, whichever came first — whether or not a worker has written
 * the deadline close down yet, so every replica answers alike.
 */
export function closedAsOf(
  round: RoundSchedule,
  state: RoundClosure,
  now: Date = new Date(),
): Date | null {
  if (state.closedAt !== null) return state.closedAt;
  return round.closesAt !== null && round.closesAt <= now ? round.closesAt : null;
}

export function isClosedAt(round: RoundSchedule, state: RoundClosure, now?: Date): boolean {
  return closedAsOf(round, state, now) !== null;
}

/**
 * Whether the round has started at `now`: it has no scheduled start, or that start has come.
 * A round that has not started is open to edits and takes no ballots (the database's mirror is
 * `round_has_started`, migration 0008).
 */
export function hasStartedAt(round: RoundSchedule, now: Date = new Date()): boolean {
  return round.opensAt == null || round.opensAt <= now;
}

/** Whether the round takes ballots at `now`: started and not closed. */
export function isOpenAt(round: RoundSchedule, state: RoundClosure, now?: Date): boolean {
  const at = now ?? new Date();
  return hasStartedAt(round, at) && !isClosedAt(round, state, at);
}

export interface RoundDisclosure {
  resultsVisibility: ResultsVisibility;
  publicBallots: boolean;
}

export interface Viewer {
  /** The viewer holds the round's admin token (or the operator key). */
  isAdmin: boolean;
}

/** Results of a round are seen by everyone while live, and by its admin alone until it closes. */
export function mayReadResults(round: RoundDisclosure, closed: boolean, viewer: Viewer): boolean {
  return closed || round.resultsVisibility === 'live' || viewer.isAdmin;
}

/**
 * Ballots (the export) are published when the round closes; while it is open, only to its admin,
 * or to everyone when the round has live results and asked for public ballots.
 */
export function mayReadBallots(round: RoundDisclosure, closed: boolean, viewer: Viewer): boolean {
  return closed || viewer.isAdmin || (round.resultsVisibility === 'live' && round.publicBallots);
}
