import { bearer, type FullResult, type RoundView, request } from '../../lib/api.ts';

/**
 * `PATCH /rounds/:id` with the admin token: the one request of the wording, start and deadline
 * controls. Each sends only what it changes; the server decides under the round's row lock
 * whether the round may still take it (409 `round_has_ballots`, `round_started`, `round_closed`).
 */
export async function patchRound(
  roundUrl: string,
  token: string,
  change: {
    name?: string;
    options?: string[];
    opens_at?: string | null;
    closes_at?: string | null;
  },
): Promise<RoundView> {
  const response = await request(roundUrl, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify(change),
  });
  return response.json() as Promise<RoundView>;
}

/** A part of the manage page drawn from the round as last read, and drawn again on each read. */
export interface RoundControl {
  element: HTMLElement;
  show(state: FullResult): void;
}

/** Reads the round again and updates every part of the page; null when it could not be read. */
export type ReadAgain = () => Promise<FullResult | null>;
