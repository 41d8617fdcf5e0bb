/**
 * A scheduled round opens by the server's clock, or earlier when its organizer opens it by hand
 * ("Open it now"), and nothing tells an open page of either (no ballot yet, so no stream event).
 * So a page showing a scheduled round reads it again: once its start has come by this browser's
 * clock, and every half minute before that.
 */

/**
 * How often a waiting page asks before the start: an early opening shows within this. 300
 * voters waiting behind one address make 600 reads a minute, 5 % of its read budget
 * (docs/abuse-limits.md).
 */
const ASK_WHILE_WAITING_MS = 30_000;
/** A moment past the start, so that the server's clock has most likely reached it too. */
const PAST_START_MS = 500;
/**
 * How long to wait before asking again when this browser's clock is past the start and the
 * server still said "scheduled" (a clock running ahead of the server's): not a tight loop.
 */
const ASK_AGAIN_MS = 5_000;

/** Calls `check` when it is time to read the round again; returns what cancels that. */
export function atScheduledStart(opensAt: string, check: () => void): () => void {
  const untilStart = new Date(opensAt).getTime() - Date.now();
  const wait =
    untilStart > 0 ? Math.min(untilStart + PAST_START_MS, ASK_WHILE_WAITING_MS) : ASK_AGAIN_MS;
  const timer = window.setTimeout(check, wait);
  return () => window.clearTimeout(timer);
}
