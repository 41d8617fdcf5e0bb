/**
 * Invited rounds (invariant 9): one ballot per invitation code, codes stored only as keyed hashes,
 * the roll saying who voted and never what, revocation racing nothing.
 */
import { createLogger, type HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testVoteApp } from '../../../test/support/apps.ts';
import { type CreatedRound, createRound, fullResult } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { caseVariants } from '../../../test/support/id-forms.ts';

let db: TestDatabase;
let vote: HttpApp;
const logLines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const logger = createLogger('vote', 'debug', { write: (line: string) => logLines.push(line) });
  vote = await testVoteApp(db.url, db.pool, {}, logger);
});

afterAll(async () => {
  await vote?.close();
  await db?.drop();
});

interface Issued {
  invitation_id: string;
  label: string;
  code: string;
  url: string;
}

const admin = (round: CreatedRound) => ({ authorization: `Bearer ${round.admin_token}` });

async function invitedRound(settings: object = {}): Promise<CreatedRound> {
  return createRound(vote, { voters: 'invited', ...settings });
}

async function issue(round: CreatedRound, body: object): Promise<Issued[]> {
  const answer = await postJson(vote, `/rounds/${round.round_id}/invitations`, body, admin(round));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.invitations;
}

const ballot = (round: CreatedRound, code: string | undefined, option = 1, roundId?: string) =>
  postJson(
    vote,
    '/vote',
    { round_id: roundId ?? round.round_id, option_id: option },
    code === undefined ? {} : { 'x-invitation-code': code },
  );

const roll = async (round: CreatedRound) =>
  (await getJson(vote, `/rounds/${round.round_id}/invitations?limit=1000`, admin(round))).body;

describe('an invited round', () => {
  it('counts 1,000 concurrent ballots of 1,000 invitations, with exact turnout', async () => {
    const round = await invitedRound();
    const invitations = await issue(round, { count: 1000 });
    expect(new Set(invitations.map((i) => i.code)).size).toBe(1000);
    for (const invitation of invitations) {
      expect(invitation.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(invitation.url).toBe(
        `http://localhost:80/r/${round.round_id}#code=${invitation.code}`,
      );
    }
    const before = await fullResult(vote, round.round_id);
    expect(before).toMatchObject({ voters: 'invited', eligible: 1000, voted: 0 });

    const answers = await Promise.all(
      invitations.map((invitation, index) => ballot(round, invitation.code, 1 + (index % 3))),
    );
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body)).toEqual([]);
    const after = await fullResult(vote, round.round_id);
    expect(after).toMatchObject({ total_ballots: 1000, eligible: 1000, voted: 1000 });
    expect(after.results.map((r: { votes: number }) => r.votes).sort()).toEqual([333, 333, 334]);
    const list = await roll(round);
    expect(list).toMatchObject({ eligible: 1000, voted: 1000, next_cursor: null });
    expect(list.invitations.filter((i: { used_at: string | null }) => !i.used_at)).toEqual([]);
  });

  it('takes one ballot of a code sent 50 times at once, and refuses the other 49', async () => {
    const round = await invitedRound();
    const [invitation] = await issue(round, { count: 1 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => ballot(round, invitation?.code)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(
      answers.filter((a) => a.status === 409 && a.body.error === 'duplicate_vote'),
    ).toHaveLength(49);
    expect((await fullResult(vote, round.round_id)).total_ballots).toBe(1);
  });

  it('refuses a missing (401), malformed, unknown or revoked (403) code, and counts nothing', async () => {
    const round = await invitedRound();
    const [kept, revoked] = await issue(round, { labels: ['Ada', 'Grace'] });
    const revocation = await vote.inject({
      method: 'DELETE',
      url: `/rounds/${round.round_id}/invitations/${revoked?.invitation_id}`,
      headers: admin(round),
    });
    expect(revocation.statusCode).toBe(200);
    expect((await ballot(round, undefined)).body.error).toBe('invitation_required');
    expect((await ballot(round, undefined)).status).toBe(401);
    const other = await invitedRound();
    const [elsewhere] = await issue(other, { count: 1 });
    for (const code of ['short', 'x'.repeat(22), elsewhere?.code, revoked?.code]) {
      const answer = await ballot(round, code);
      expect(answer.status, String(code)).toBe(403);
      expect(answer.body.error).toBe('invitation_invalid');
    }
    // X-Voter-Id is no way around the roll.
    const withVoterId = await postJson(
      vote,
      '/vote',
      { round_id: round.round_id, option_id: 1 },
      { 'x-voter-id': 'someone' },
    );
    expect(withVoterId.status).toBe(401);
    expect((await fullResult(vote, round.round_id)).total_ballots).toBe(0);
    expect((await ballot(round, kept?.code)).status).toBe(200);
    expect(await fullResult(vote, round.round_id)).toMatchObject({ eligible: 1, voted: 1 });
  });

  it('keeps one ballot per code however the round id is cased, and replaces it on revote', async () => {
    const round = await invitedRound({ allow_revote: true });
    const [invitation] = await issue(round, { count: 1 });
    const variants = caseVariants(round.round_id);
    for (const [index, id] of variants.entries()) {
      const answer = await ballot(round, invitation?.code, 1 + (index % 3), id);
      expect(answer.status).toBe(200);
      expect(answer.body.replaced).toBe(index > 0);
    }
    const result = await fullResult(vote, round.round_id);
    expect(result).toMatchObject({ total_ballots: 1, voted: 1 });
    const list = await roll(round);
    expect(list.invitations[0].used_at).not.toBeNull();
  });

  it('revokes an unused invitation once (again: the same answer), never a used one', async () => {
    const round = await invitedRound();
    const [used, unused] = await issue(round, { count: 2 });
    expect((await ballot(round, used?.code)).status).toBe(200);
    const revoke = (id: string | undefined) =>
      vote.inject({
        method: 'DELETE',
        url: `/rounds/${round.round_id}/invitations/${id}`,
        headers: admin(round),
      });
    const first = await revoke(unused?.invitation_id);
    const again = await revoke(unused?.invitation_id);
    expect(first.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await revoke(used?.invitation_id)).json()).toMatchObject({ error: 'invitation_used' });
    expect((await revoke('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect(await fullResult(vote, round.round_id)).toMatchObject({ eligible: 1, voted: 1 });
  });

  it('never stores or logs a code in plain form, and its roll never says what anyone chose', async () => {
    const round = await invitedRound();
    const invitations = await issue(round, { labels: ['Ada Lovelace', 'Grace Hopper'] });
    for (const invitation of invitations) await ballot(round, invitation.code, 2);
    const dump = await db.pool.query<{ text: string }>(
      `SELECT (SELECT json_agg(i)::text FROM invitations i) || (SELECT json_agg(b)::text FROM ballots b)
         || (SELECT json_agg(v)::text FROM voter_rolls v) AS text`,
    );
    const stored = dump.rows[0]?.text ?? '';
    const hex = (code: string) => Buffer.from(code).toString('hex');
    for (const { code } of invitations) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(hex(code));
      for (const line of logLines) expect(line).not.toContain(code);
    }
    const list = await roll(round);
    expect(list.invitations.map((i: { label: string }) => i.label)).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
    ]);
    expect(Object.keys(list.invitations[0]).sort()).toEqual([
      'invitation_id',
      'issued_at',
      'label',
      'revoked_at',
      'used_at',
    ]);
  });

  it('lists its roll in the order issued, page by page', async () => {
    const round = await invitedRound();
    const names = ['Zoe', 'Ada', 'Mia', 'Bob', 'Eve'];
    await issue(round, { labels: names.slice(0, 3) });
    await issue(round, { labels: names.slice(3) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await getJson(
        vote,
        `/rounds/${round.round_id}/invitations${query}`,
        admin(round),
      );
      expect(page.body.invitations.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.invitations.map((i: { label: string }) => i.label));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(names);
    const bad = await getJson(vote, `/rounds/${round.round_id}/invitations?cursor=x`, admin(round));
    expect(bad.status).toBe(400);
  });

  it('is administered with its admin token only, and an open round has no roll', async () => {
    const round = await invitedRound();
    const url = `/rounds/${round.round_id}/invitations`;
    expect((await postJson(vote, url, { count: 1 })).status).toBe(401);
    expect(
      (await postJson(vote, url, { count: 1 }, { authorization: 'Bearer wrong' })).status,
    ).toBe(403);
    expect((await getJson(vote, url)).status).toBe(401);
    const open = await createRound(vote);
    const answer = await postJson(
      vote,
      `/rounds/${open.round_id}/invitations`,
      { count: 1 },
      admin(open),
    );
    expect(answer).toMatchObject({ status: 400, body: { error: 'round_not_invited' } });
    for (const body of [{}, { count: 1, labels: ['a'] }, { count: 0 }, { labels: ['a\u0000'] }]) {
      expect((await postJson(vote, url, body, admin(round))).status, JSON.stringify(body)).toBe(
        400,
      );
    }
    expect((await roll(round)).eligible).toBe(0);
  });
});

describe('an invited round hiding its results until close', () => {
  it('shows its turnout, like its figures, to its admin only', async () => {
    const round = await invitedRound({ results: 'after_close' });
    const [invitation] = await issue(round, { count: 3 });
    expect((await ballot(round, invitation?.code)).status).toBe(200);
    const publicView = await getJson(vote, `/rounds/${round.round_id}`);
    expect(publicView).toMatchObject({ status: 403, body: { error: 'results_hidden' } });
    const definition = (await getJson(vote, `/rounds/${round.round_id}/definition`)).body;
    expect(definition).toMatchObject({ voters: 'invited' });
    expect(definition).not.toHaveProperty('eligible');
    expect(definition).not.toHaveProperty('voted');
    expect(await fullResult(vote, round.round_id, admin(round))).toMatchObject({
      eligible: 3,
      voted: 1,
    });
  });
});

describe('listing', () => {
  it('shows only rounds created with listed: true', async () => {
    const listed = await createRound(vote, { listed: true });
    const unlisted = await createRound(vote);
    const ids = (await getJson(vote, '/rounds?limit=100')).body.rounds.map(
      (round: { round_id: string }) => round.round_id,
    );
    expect(ids).toContain(listed.round_id);
    expect(ids).not.toContain(unlisted.round_id);
    // Reachable by its link all the same.
    expect((await getJson(vote, `/rounds/${unlisted.round_id}`)).body.listed).toBe(false);
  });
});
