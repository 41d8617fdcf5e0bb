import {
  decodeCursor,
  encodeCursor,
  newAdminToken,
  type ResultReader,
  RoundIdParams,
  RoundSchema,
  requireOperator,
  requireRoundAdmin,
  roundView,
} from '@voting/api';
import type { Pool } from '@voting/db';
import {
  closeRound,
  insertRound,
  listOpenRounds,
  type RoundCatalog,
  type RoundDefinition,
} from '@voting/db';
import { ErrorSchema, type HttpApp, notFound } from '@voting/runtime';
import { Type } from 'typebox';
import type { VoteMetrics } from '../metrics.ts';
import { CreateRoundBody, type NewRoundFields, newRound } from '../round-requests.ts';

export const CreatedRound = Type.Object({
  ...RoundSchema.properties,
  admin_token: Type.String({ description: 'Shown only this once: keep it to close the round' }),
});

const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

const RoundList = Type.Object({
  rounds: Type.Array(RoundSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export interface RoundRoutesDeps {
  pool: Pool;
  catalog: RoundCatalog;
  reader: ResultReader;
  metrics: VoteMetrics;
  adminApiKey: string | undefined;
}

export function registerRoundRoutes(app: HttpApp, deps: RoundRoutesDeps): void {
  app.post(
    '/rounds',
    {
      schema: {
        summary: 'Create a round',
        tags: ['rounds'],
        body: CreateRoundBody,
        response: {
          201: CreatedRound,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      requireOperator(request.headers.authorization, deps.adminApiKey);
      const round = newRound(request.body ?? {});
      return reply.status(201).send(await createRound(deps, round));
    },
  );

  app.get(
    '/rounds',
    {
      schema: {
        summary:
          'Listed open rounds, newest first (a round is listed when created with listed: true)',
        tags: ['rounds'],
        querystring: ListQuery,
        response: { 200: RoundList, 400: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor);
      const page = await listOpenRounds(
        deps.pool,
        request.query.limit,
        after && { createdAt: after.at, roundId: after.id },
      );
      return {
        rounds: page.rounds.map((round) => roundView(round, round)),
        next_cursor: page.next
          ? encodeCursor({ at: page.next.createdAt, id: page.next.roundId })
          : null,
      };
    },
  );

  app.post(
    '/rounds/:id/close',
    {
      schema: {
        summary: 'Close a round (admin token); idempotent',
        tags: ['rounds'],
        params: RoundIdParams,
        response: {
          200: RoundSchema,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request) => {
      const round = await deps.reader.round(request.params.id);
      requireRoundAdmin(round, request.headers.authorization, deps.adminApiKey);
      const closedAt = await closeRound(deps.pool, round.roundId);
      if (!closedAt) throw notFound('round_not_found', `there is no round ${round.roundId}`);
      deps.metrics.roundClosed(round);
      return roundView(round, { closedAt });
    },
  );
}

/** Stores a new round, caches it, and answers what POST /rounds answers (the token, once). */
export async function createRound(deps: RoundRoutesDeps, round: NewRoundFields) {
  const admin = newAdminToken();
  const { createdAt, joinCode } = await insertRound(deps.pool, {
    ...round,
    adminTokenHash: admin.hash,
  });
  const definition: RoundDefinition = {
    ...round,
    adminTokenHash: admin.hash,
    createdAt,
    joinCode,
    revision: 0,
    options: round.labels.map((label, index) => ({ option_id: index + 1, label })),
  };
  deps.catalog.remember(definition);
  deps.metrics.roundOpened(definition);
  return { ...roundView(definition, { closedAt: null }), admin_token: admin.token };
}
