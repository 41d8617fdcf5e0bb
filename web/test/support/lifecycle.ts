/** Helpers of the lifecycle tests (e2e-lifecycle.ts, e2e-schedule.ts). */
import type { Page } from 'playwright-core';
import type { Round } from '../e2e-support-api.ts';
import type { RunningSystem } from './system.ts';

export interface Session {
  system(): RunningSystem;
  open(viewport: { width: number; height: number }, url?: string): Promise<Page>;
}

export const HOUR = 3_600_000;
export const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();
export const manageUrl = (base: string, round: Round) =>
  `${base}/r/${round.round_id}/manage#token=${round.admin_token}`;

/**
 * What a `datetime-local` field shows for `at` in the page's own time zone (to the minute), and
 * back: the instant a value means there. Asked of the browser, whose zone is the one that counts.
 */
export const localValue = (page: Page, at: number) =>
  page.evaluate(`(() => {
    const at = new Date(${at});
    const two = (n) => String(n).padStart(2, '0');
    return at.getFullYear() + '-' + two(at.getMonth() + 1) + '-' + two(at.getDate()) + 'T' +
      two(at.getHours()) + ':' + two(at.getMinutes());
  })()`) as Promise<string>;
export const instantOf = (page: Page, value: string) =>
  page.evaluate(`new Date(${JSON.stringify(value)}).toISOString()`) as Promise<string>;

/** A JSON answer, read loosely: the tests compare its fields. */
// biome-ignore lint/suspicious/noExplicitAny: an API answer of any shape, matched field by field.
export type Answer = { status: number; body: any };

export async function definition(base: string, roundId: string): Promise<Answer> {
  const response = await fetch(`${base}/rounds/${roundId}/definition`);
  return { status: response.status, body: await response.json() };
}

export async function voteByApi(base: string, roundId: string, voter: string): Promise<Answer> {
  const response = await fetch(`${base}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-voter-id': voter },
    body: JSON.stringify({ round_id: roundId, option_id: 1 }),
  });
  return { status: response.status, body: await response.json() };
}

export const focusedText = (page: Page) =>
  page.evaluate('document.activeElement && document.activeElement.textContent');
