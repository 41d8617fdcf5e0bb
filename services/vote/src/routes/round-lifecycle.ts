import {
  RoundIdParams,
  RoundSchema,
  requireOperator,
  requireRoundAdmin,
  roundView,
} from '@voting/api';
import { deleteRound, editRound, findRoundDefinition, type RoundDefinition } from '@voting/db';
import { badRequest, conflict, ErrorSchema, type HttpApp, notFound } from '@voting/runtime';
import { Type } from 'typebox';
import { checkEdit, copyOf, EditRoundBody } from '../round-requests.ts';
import { CreatedRound, createRound, type RoundRoutesDeps } from './rounds.ts';

const AdminErrors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  503: ErrorSchema,
};

/** A round after creation: edit, duplicate, delete (closing is with the round routes). */
export function registerRoundLifecycleRoutes(app: HttpApp, deps: RoundRoutesDeps): void {
  app.patch(
    '/rounds/:id',
    {
      schema: {
        summary:
          'Edit a round (admin token): name and option labels until the first ballot, the scheduled start before it comes, the deadline while open',
        tags: ['rounds'],
        params: RoundIdParams,
        body: EditRoundBody,
        response: { 200: RoundSchema, ...AdminErrors, 409: ErrorSchema },
      },
    },
    async (request) => {
      const cached = await deps.reader.round(request.params.id);
      requireRoundAdmin(cached, request.headers.authorization, deps.adminApiKey);
      const edit = checkEdit(request.body, cached.options.length);
      const edited = await editRound(deps.pool, cached.roundId, edit);
      switch (edited.outcome) {
        case 'edited': {
          deps.catalog.remember(edited.round);
          if (edit.name !== undefined || edit.labels !== undefined)
            deps.metrics.roundEdited(edited.round);
          return roundView(edited.round, { closedAt: null });
        }
        case 'not_found':
          throw notFound('round_not_found', `there is no round ${cached.roundId}`);
        case 'closed':
          throw conflict('round_closed', 'this round is closed: it can no longer be edited');
        case 'has_ballots':
          throw conflict(
            'round_has_ballots',
            'the name and options of a round are fixed once it has a ballot',
          );
        case 'started':
          throw conflict(
            'round_started',
            'this round has started: its opens_at can no longer be changed',
          );
        case 'invalid_schedule':
          throw badRequest('invalid_round', 'opens_at must come before closes_at');
      }
    },
  );

  app.post(
    '/rounds/:id/duplicate',
    {
      schema: {
        summary:
          'A new round with the same settings (admin token; with ADMIN_API_KEY set, that key): new id and admin token, no ballots',
        tags: ['rounds'],
        params: RoundIdParams,
        response: { 201: CreatedRound, ...AdminErrors },
      },
    },
    async (request, reply) => {
      const source = await deps.reader.round(request.params.id);
      // Creating a round is the operator's when ADMIN_API_KEY is set: a round's own token does
      // not get around that.
      if (deps.adminApiKey !== undefined)
        requireOperator(request.headers.authorization, deps.adminApiKey);
      else requireRoundAdmin(source, request.headers.authorization, deps.adminApiKey);
      // The stored definition, not a cached one another replica may have edited since.
      const current = await findCurrentDefinition(deps, source.roundId);
      return reply.status(201).send(await createRound(deps, copyOf(current)));
    },
  );

  app.delete(
    '/rounds/:id',
    {
      schema: {
        summary:
          'Delete a round (admin token) with its ballots, results and invitations; 404 on every route afterwards',
        tags: ['rounds'],
        params: RoundIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...AdminErrors },
      },
    },
    async (request, reply) => {
      const round = await deps.reader.round(request.params.id);
      requireRoundAdmin(round, request.headers.authorization, deps.adminApiKey);
      if (!(await deleteRound(deps.pool, round.roundId)))
        throw notFound('round_not_found', `there is no round ${round.roundId}`);
      deps.metrics.roundDeleted(round.roundId);
      return reply.status(204).send(null);
    },
  );
}

async function findCurrentDefinition(
  deps: RoundRoutesDeps,
  roundId: string,
): Promise<RoundDefinition> {
  const current = await findRoundDefinition(deps.pool, roundId);
  if (!current) throw notFound('round_not_found', `there is no round ${roundId}`);
  return current;
}
