import { randomUUID } from 'node:crypto';
import {
  decodeCursor,
  encodeCursor,
  MethodSchema,
  newAdminToken,
  type ResultReader,
  ResultsVisibilitySchema,
  RoundIdParams,
  RoundSchema,
  requireOperator,
  requireRoundAdmin,
  roundView,
  VotersSchema,
} from '@voting/api';
import type { Pool } from '@voting/db';
import {
  closeRound,
  insertRound,
  listOpenRounds,
  type RoundCatalog,
  type RoundDefinition,
} from '@voting/db';
import { checkLabels, checkText, METHOD_TRAITS } from '@voting/domain';
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
    voters: Type.Optional({
      ...VotersSchema,
      description:
        'Who may vote. anyone (default): whoever has the link, one ballot per X-Voter-Id; invited: the holders of invitation codes (POST /rounds/:id/invitations), one ballot each',
    }),
    listed: Type.Optional(
      Type.Boolean({
        description: 'Show the round in GET /rounds and on the home page (default: only its link)',
      }),
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

type CreateRound = Static<typeof CreateRoundBody>;

/**
 * Checks what the schema cannot express and fills in the defaults. The name and labels go through
 * the domain's text rules (packages/domain/src/text.ts): refused with a control character, a NUL
 * or a lone surrogate; stored, and answered in the 201, NFC-normalized and trimmed; labels equal
 * but for case, spacing or invisible characters are duplicates, an invisible label is blank.
 */
function newRound(
  body: CreateRound,
): Omit<RoundDefinition, 'createdAt' | 'options' | 'adminTokenHash'> & { labels: string[] } {
  const checkedLabels = checkLabels(body.options ?? ['A', 'B']);
  if (!checkedLabels.ok) throw badRequest('invalid_round', checkedLabels.message);
  const { labels } = checkedLabels;
  const checkedName = body.name === undefined ? undefined : checkText(body.name, 'the name');
  if (checkedName && !checkedName.ok) throw badRequest('invalid_round', checkedName.message);

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
  // A date-time the schema takes but JavaScript cannot read (a leap second, say) is refused here,
  // not sent to PostgreSQL as an invalid date.
  if (closesAt !== null && Number.isNaN(closesAt.getTime())) {
    throw badRequest('invalid_round', 'closes_at is not a date-time this service can read');
  }
  if (closesAt !== null && closesAt.getTime() <= Date.now()) {
    throw badRequest('invalid_round', 'closes_at must be in the future');
  }
  // A blank name (spaces or invisible characters only) takes the default, as an absent one does.
  const name = checkedName?.text || `Round ${new Date().toISOString()}`;
  return {
    roundId: randomUUID(),
    name,
    method,
    minChoices,
    maxChoices,
    allowRevote: body.allow_revote ?? false,
    resultsVisibility: body.results ?? 'live',
    publicBallots: body.public_ballots ?? false,
    voters: body.voters ?? 'anyone',
    listed: body.listed ?? false,
    closesAt,
    labels,
  };
}
