import { randomUUID } from 'node:crypto';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testResultApp, testVoteApp } from './support/apps.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { openApiProblems, type RecordedResponse, recordResponses } from './support/openapi.ts';

let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;
let voteResponses: RecordedResponse[];
let resultResponses: RecordedResponse[];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  result = await testResultApp(db.url, db.pool);
  voteResponses = recordResponses(vote);
  resultResponses = recordResponses(result);
});
afterAll(async () => {
  await vote.close();
  await result.close();
  await db.drop();
});

describe('responses match the OpenAPI documents the services serve', () => {
  it('holds for a session touching every route and error of both services', async () => {
    const open = (await postJson(vote, '/rounds', { name: 'doc', options: ['x', 'y', 'z'] })).body;
    const hidden = (await postJson(vote, '/rounds', { results: 'after_close', method: 'ranked' }))
      .body;
    const approval = (
      await postJson(vote, '/rounds', {
        method: 'approval',
        max_choices: 2,
        options: ['a', 'b', 'c'],
      })
    ).body;
    await postJson(vote, '/rounds', { options: ['dup', 'dup'] });
    await postJson(vote, '/rounds', { options: 'nope' });
    await getJson(vote, '/rounds?limit=1');
    await getJson(vote, '/rounds?cursor=bad');

    await postJson(
      vote,
      '/vote',
      { round_id: open.round_id, option_id: 1 },
      { 'x-voter-id': 'v1' },
    );
    await postJson(
      vote,
      '/vote',
      { round_id: open.round_id, option_id: 2 },
      { 'x-voter-id': 'v1' },
    );
    await postJson(vote, '/vote', { round_id: open.round_id, option_id: 7 });
    await postJson(vote, '/vote', { round_id: randomUUID(), option_id: 1 });
    await postJson(vote, '/vote', { round_id: approval.round_id, option_ids: [1, 2] });
    await postJson(vote, '/vote', { round_id: approval.round_id, option_ids: [1, 2, 3] });
    await postJson(vote, '/vote', { round_id: hidden.round_id, ranking: [2, 1] });
    await postJson(vote, '/vote', { nonsense: true });

    for (const app of [vote, result]) {
      await getJson(app, `/rounds/${open.round_id}`);
      await getJson(app, `/rounds/${open.round_id}/results`);
      await getJson(app, `/rounds/${hidden.round_id}`);
      await getJson(app, `/rounds/${hidden.round_id}`, {
        authorization: `Bearer ${hidden.admin_token}`,
      });
      await getJson(app, `/rounds/${randomUUID()}/results`);
      await getJson(app, '/rounds/not-a-uuid');
    }

    // The lifecycle routes (issue 14): edit, schedule, duplicate, delete.
    const adminOf = (round: { admin_token: string }) => ({
      authorization: `Bearer ${round.admin_token}`,
    });
    const scheduled = (
      await postJson(vote, '/rounds', {
        opens_at: new Date(Date.now() + 60_000).toISOString(),
        options: ['s', 't'],
      })
    ).body;
    await postJson(vote, '/vote', { round_id: scheduled.round_id, option_id: 1 });
    const edit = (round: { round_id: string }, body: object, headers: Record<string, string>) =>
      vote.inject({ method: 'PATCH', url: `/rounds/${round.round_id}`, payload: body, headers });
    await edit(scheduled, { name: 'renamed', options: ['u', 'v'] }, adminOf(scheduled));
    await edit(scheduled, { name: 'x' }, {});
    await edit(scheduled, { nonsense: 1 }, adminOf(scheduled));
    await edit(open, { name: 'after a ballot' }, adminOf(open));
    const copy = await vote.inject({
      method: 'POST',
      url: `/rounds/${scheduled.round_id}/duplicate`,
      headers: adminOf(scheduled),
    });
    await vote.inject({
      method: 'DELETE',
      url: `/rounds/${copy.json().round_id}`,
      headers: adminOf(copy.json()),
    });
    await vote.inject({ method: 'DELETE', url: `/rounds/${randomUUID()}`, headers: adminOf(open) });

    const close = `/rounds/${open.round_id}/close`;
    await postJson(vote, close, {});
    await postJson(vote, close, {}, { authorization: 'Bearer wrong' });
    await postJson(vote, close, {}, { authorization: `Bearer ${open.admin_token}` });
    await postJson(vote, `/rounds/${randomUUID()}/close`, {}, { authorization: 'Bearer x' });
    await postJson(vote, '/vote', { round_id: open.round_id, option_id: 1 });

    const statuses = new Set(voteResponses.map((r) => r.status));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409])
      expect(statuses).toContain(status);
    expect(resultResponses.length).toBeGreaterThanOrEqual(6);
    expect(await openApiProblems(vote, voteResponses)).toEqual([]);
    expect(await openApiProblems(result, resultResponses)).toEqual([]);
  });

  it('documents every public route with its error answers', async () => {
    const document = (await vote.inject({ url: '/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/rounds',
        '/vote',
        '/rounds/{id}',
        '/rounds/{id}/results',
        '/rounds/{id}/close',
        '/rounds/{id}/duplicate',
      ]),
    );
    expect(Object.keys(document.paths['/rounds/{id}'])).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    expect(Object.keys(document.paths['/vote'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404', '409']),
    );
    const resultDocument = (await result.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(resultDocument.paths)).toContain('/rounds/{id}/results/stream');
  });
});
