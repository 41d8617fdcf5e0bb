import { RoundSchema, roundStatus } from '@voting/api';
import { findRoundByJoinCode, type Pool } from '@voting/db';
import { normalizeJoinCode } from '@voting/domain';
import { badRequest, ErrorSchema, type HttpApp, notFound } from '@voting/runtime';
import { registerJoinPage } from '@voting/web';
import { Type } from 'typebox';

const JoinParams = Type.Object({
  code: Type.String({
    minLength: 1,
    maxLength: 40,
    description:
      'A join code: 6 of 23456789ABCDEFGHJKMNPQRSTVWXYZ, in any case, spaces and dashes anywhere',
  }),
});

const JoinedRound = Type.Object({
  round_id: Type.String({ format: 'uuid' }),
  status: RoundSchema.properties.status,
});

export interface JoinRoutesDeps {
  pool: Pool;
  /** Where the pages are and call: the join page's headers are the other pages' own. */
  config: { PUBLIC_VOTE_URL: string; PUBLIC_RESULT_URL: string; PUBLIC_EXTRA_ORIGINS: string };
}

/**
 * Join codes: `GET /join/:code` for the pages and API clients, and `/j/:code`, the address a
 * presenter shows a room, which redirects a browser to the round's voting page. A code leads to
 * the open round that holds it, else for a day to the round that held it when it closed
 * (findRoundByJoinCode). Both spend the `joins` budget (packages/service rate-limits.ts), so
 * guessing codes meets a limit long before it finds rounds (docs/abuse-limits.md).
 */
export async function registerJoinRoutes(app: HttpApp, deps: JoinRoutesDeps): Promise<void> {
  app.get(
    '/join/:code',
    {
      schema: {
        summary:
          'The round a join code leads to: the open round with it, else for a day the round that closed with it',
        tags: ['rounds'],
        params: JoinParams,
        response: { 200: JoinedRound, 400: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (request) => {
      const code = normalizeJoinCode(request.params.code);
      if (!code)
        throw badRequest(
          'invalid_join_code',
          'a join code is 6 letters and digits, without 0, 1, I, L, O or U',
        );
      const round = await findRoundByJoinCode(deps.pool, code);
      if (!round) throw notFound('join_code_not_found', `no round has the join code ${code}`);
      return { round_id: round.roundId, status: roundStatus(round, round) };
    },
  );

  await registerJoinPage(app, {
    voteUrl: deps.config.PUBLIC_VOTE_URL,
    resultUrl: deps.config.PUBLIC_RESULT_URL,
    extraOrigins: deps.config.PUBLIC_EXTRA_ORIGINS,
    resolve: async (typed) => {
      const code = normalizeJoinCode(typed);
      return code ? ((await findRoundByJoinCode(deps.pool, code))?.roundId ?? null) : null;
    },
  });
}
