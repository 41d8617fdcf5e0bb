import { METHOD_TRAITS, type Method } from '@voting/domain';
import type { HttpApp } from '@voting/runtime';
import { getJson, postJson } from './apps.ts';

export type { Method };

export interface CreatedRound {
  round_id: string;
  admin_token: string;
  closes_at: string | null;
}

export async function createRound(app: HttpApp, settings: object = {}): Promise<CreatedRound> {
  const { status, body } = await postJson(app, '/rounds', {
    options: ['Red', 'Green', 'Blue'],
    ...settings,
  });
  if (status !== 201) throw new Error(`round not created: ${status} ${JSON.stringify(body)}`);
  return body as CreatedRound;
}

/** The ballot body for a method: one option takes choices[0], a set or a ranking all of them. */
export function ballotBody(method: Method, roundId: string, choices: number[]): object {
  const field = METHOD_TRAITS[method].ballotField;
  return { round_id: roundId, [field]: field === 'option_id' ? choices[0] : choices };
}

/** Casts one ballot through the vote app; throws unless it is accepted. */
export async function castBallot(
  app: HttpApp,
  method: Method,
  roundId: string,
  choices: number[],
  voterId?: string,
): Promise<{ receipt: string; replaced: boolean }> {
  const answer = await postJson(
    app,
    '/vote',
    ballotBody(method, roundId, choices),
    voterId ? { 'x-voter-id': voterId } : {},
  );
  if (answer.status !== 200)
    throw new Error(`vote refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function closeRoundAsAdmin(app: HttpApp, round: CreatedRound): Promise<void> {
  const answer = await postJson(
    app,
    `/rounds/${round.round_id}/close`,
    {},
    { authorization: `Bearer ${round.admin_token}` },
  );
  if (answer.status !== 200) throw new Error(`close refused: ${answer.status}`);
}

export async function fullResult(app: HttpApp, roundId: string, headers = {}) {
  return (await getJson(app, `/rounds/${roundId}`, headers)).body;
}

/** A deterministic pseudo-random generator (mulberry32), so failures replay. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random valid ballot of the method over options 1..optionCount. */
export function randomChoices(method: Method, optionCount: number, random: () => number): number[] {
  const ids = Array.from({ length: optionCount }, (_, i) => i + 1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
  }
  const { ballotField, ranks } = METHOD_TRAITS[method];
  const take = ballotField === 'option_id' ? 1 : 1 + Math.floor(random() * optionCount);
  const picked = ids.slice(0, take);
  return ranks ? picked : picked.sort((a, b) => a - b);
}
