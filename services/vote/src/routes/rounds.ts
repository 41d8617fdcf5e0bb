import { randomUUID } from 'node:crypto';
import {
  MethodSchema,
  newAdminToken,
  type ResultReader,
  ResultsVisibilitySchema,
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
import { METHOD_TRAITS } from '@voting/domain';
import { badRequest, ErrorSchema, type HttpApp, notFound } from '@voting/runtime';
import { type Static, Type } from 'typebox';
import type { VoteMetrics } from '../metrics.ts';

const Label = Type.String({ minLength: 1, maxLength: 200 });

export const CreateRoundBody = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Default: "Round <ISO time>"' }),
    ),
    options: Type.Optional(
      Type.Array(Label, { minItems: 2, maxItems: 100, description: 'Default: ["A", "B"]' }),
    ),
    method: Type.Optional(MethodSchema),
    min_choices: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'approval only; default 1' }),
    ),
    max_choices: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'approval only; default: all' }),
    ),
    allow_revote: Type.Optional(
      Type.Boolean({ description: "A voter's new ballot replaces the old one" }),
    ),
    results: Type.Optional(ResultsVisibilitySchema),
    public_ballots: Type.Optional(
      Type.Boolean({ description: 'Export ballots while the round is open' }),
    ),
    closes_at: Type.Optional(
      Type.String({ format: 'date-time', description: 'The round closes itself then' }),
    ),
  },
  { additionalProperties: false },
);

const CreatedRound = Type.Object({
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
      const admin = newAdminToken();
      const createdAt = await insertRound(deps.pool, { ...round, adminTokenHash: admin.hash });
      const definition: RoundDefinition = {
        ...round,
        adminTokenHash: admin.hash,
        createdAt,
        options: round.labels.map((label, index) => ({ option_id: index + 1, label })),
      };
      deps.catalog.remember(definition);
      deps.metrics.roundOpened(definition);
      return reply
        .status(201)
        .send({ ...roundView(definition, { closedAt: null }), admin_token: admin.token });
    },
  );

  app.get(
    '/rounds',
    {
      schema: {
        summary: 'Open rounds, newest first',
        tags: ['rounds'],
        querystring: ListQuery,
        response: { 200: RoundList, 400: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (request) => {
      const page = await listOpenRounds(
        deps.pool,
        request.query.limit,
        decodeCursor(request.query.cursor),
      );
      return {
        rounds: page.rounds.map((round) => roundView(round, round)),
        next_cursor: page.next ? encodeCursor(page.next) : null,
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

type CreateRound = Static<typeof CreateRoundBody>;

/** Checks what the schema cannot express and fills in the defaults. */
function newRound(
  body: CreateRound,
): Omit<RoundDefinition, 'createdAt' | 'options' | 'adminTokenHash'> & { labels: string[] } {
  const labels = (body.options ?? ['A', 'B']).map((label) => label.trim());
  if (labels.some((label) => label.length === 0))
    throw badRequest('invalid_round', 'option labels cannot be blank');
  const duplicate = labels.find((label, index) => labels.indexOf(label) !== index);
  if (duplicate !== undefined)
    throw badRequest('invalid_round', `option "${duplicate}" appears twice`);

  const method = body.method ?? 'plurality';
  const { choiceLimits } = METHOD_TRAITS[method];
  if (!choiceLimits && (body.min_choices !== undefined || body.max_choices !== undefined)) {
    throw badRequest('invalid_round', 'min_choices and max_choices apply to approval rounds only');
  }
  const minChoices = choiceLimits ? (body.min_choices ?? 1) : null;
  const maxChoices = choiceLimits ? (body.max_choices ?? labels.length) : null;
  if (
    minChoices !== null &&
    maxChoices !== null &&
    (minChoices > maxChoices || maxChoices > labels.length)
  ) {
    throw badRequest(
      'invalid_round',
      `need 1 ≤ min_choices ≤ max_choices ≤ ${labels.length} (the number of options)`,
    );
  }

  const closesAt = body.closes_at === undefined ? null : new Date(body.closes_at);
  if (closesAt !== null && closesAt.getTime() <= Date.now()) {
    throw badRequest('invalid_round', 'closes_at must be in the future');
  }
  const name = body.name?.trim() || `Round ${new Date().toISOString()}`;
  return {
    roundId: randomUUID(),
    name,
    method,
    minChoices,
    maxChoices,
    allowRevote: body.allow_revote ?? false,
    resultsVisibility: body.results ?? 'live',
    publicBallots: body.public_ballots ?? false,
    closesAt,
    labels,
  };
}

function encodeCursor(next: { createdAt: Date; roundId: string }): string {
  return Buffer.from(JSON.stringify([next.createdAt.toISOString(), next.roundId])).toString(
    'base64url',
  );
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string | undefined): { createdAt: Date; roundId: string } | null {
  if (cursor === undefined) return null;
  try {
    const [createdAt, roundId] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString(),
    ) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof roundId === 'string' && uuidPattern.test(roundId) && !Number.isNaN(date.getTime())) {
      return { createdAt: date, roundId };
    }
  } catch {
    // falls through to the error below
  }
  throw badRequest('invalid_cursor', 'cursor is not one this API returned');
}
