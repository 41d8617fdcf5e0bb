import { UuidSchema } from '@voting/api';
import {
  castOrReplaceBallot,
  type Pool,
  type RoundCatalog,
  roundExists,
  roundRules,
  sampledTraceparent,
} from '@voting/db';
import { parseBallot } from '@voting/domain';
import {
  AppError,
  badRequest,
  conflict,
  ErrorSchema,
  type HttpApp,
  notFound,
} from '@voting/runtime';
import { Type } from 'typebox';
import type { BallotBatcher } from '../ballot-batcher.ts';
import { invitationInvalid, invitationKeys, presentedCode } from '../invitation-codes.ts';
import type { VoteMetrics } from '../metrics.ts';
import type { PendingAnnouncer } from '../pending-announcer.ts';
import { voterKey } from '../voter-key.ts';

const OptionIds = Type.Array(Type.Integer(), { maxItems: 100 });

export const VoteBody = Type.Object(
  {
    // Validated, then lower-cased: the voter key and the catalog see one form of the id.
    round_id: UuidSchema(),
    option_id: Type.Optional(Type.Integer({ description: 'plurality rounds' })),
    option_ids: Type.Optional({
      ...OptionIds,
      description: 'approval rounds: the options approved',
    }),
    ranking: Type.Optional({
      ...OptionIds,
      description: 'ranked and condorcet rounds: best first; a prefix is fine',
    }),
  },
  { description: "One ballot; send exactly the field of the round's method" },
);

const VoteAccepted = Type.Object({
  ok: Type.Literal(true),
  round_id: Type.String({ format: 'uuid' }),
  receipt: Type.String({ description: "Find your ballot in the round's public export with it" }),
  replaced: Type.Boolean({ description: 'True when this ballot replaced your earlier one' }),
});

const VoteHeaders = Type.Object({
  'x-voter-id': Type.Optional(
    Type.String({ description: 'Rounds open to anyone: one ballot per voter id per round' }),
  ),
  'x-invitation-code': Type.Optional(
    Type.String({
      description: 'Invited rounds (required there): the code of your invitation, one ballot each',
    }),
  ),
});

export interface VoteRouteDeps {
  pool: Pool;
  catalog: RoundCatalog;
  metrics: VoteMetrics;
  batcher: BallotBatcher;
  /** Wakes idle workers once a ballot is committed. */
  announcer: PendingAnnouncer;
  voterKeySecret: string;
}

export function registerVoteRoute(app: HttpApp, deps: VoteRouteDeps): void {
  app.post(
    '/vote',
    {
      schema: {
        summary: 'Cast a ballot',
        tags: ['votes'],
        body: VoteBody,
        headers: VoteHeaders,
        response: {
          200: VoteAccepted,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
          409: ErrorSchema,
          413: ErrorSchema,
          503: ErrorSchema,
        },
      },
      // Any malformed vote request is an invalid ballot to the client, whatever field is off.
      attachValidation: true,
    },
    async (request) => {
      if (request.validationError) {
        throw badRequest('invalid_ballot', request.validationError.message);
      }
      const { round_id: roundId } = request.body;
      const round = await deps.catalog.find(roundId);
      if (!round) throw notFound('round_not_found', `there is no round ${roundId}`);

      const parsed = parseBallot(roundRules(round), request.body);
      if (!parsed.ok) {
        // The original service answered an unknown option with 404 (parseBallot gives this
        // reason for a one-option ballot only); every other refusal is 400.
        if (parsed.reason === 'unknown_option') {
          throw notFound('option_not_found', parsed.message);
        }
        throw badRequest('invalid_ballot', parsed.message);
      }

      // The round's id as stored: canonical by construction, for the voter key and the write.
      // In an invited round the ballot is keyed by its invitation code, and X-Voter-Id ignored.
      const voter =
        round.voters === 'invited'
          ? invitedVoter(deps.voterKeySecret, round.roundId, request.headers['x-invitation-code'])
          : {
              voterKey: voterKey(deps.voterKeySecret, round.roundId, request.headers['x-voter-id']),
            };
      // A sampled request's traceparent goes with its change row (docs/observability.md); with
      // tracing off or the request unsampled, there is none.
      const ballot = {
        roundId: round.roundId,
        ...voter,
        choices: parsed.choices,
        traceparent: sampledTraceparent(),
      };
      // A revote reads the old ballot to take it out of the count, so it has its own transaction;
      // first ballots go through group commit.
      const cast = round.allowRevote
        ? await castOrReplaceBallot(deps.pool, ballot)
        : await deps.batcher.cast(ballot);
      switch (cast.outcome) {
        case 'closed':
          // A deleted round has no row for the write to find either; the cached definition
          // outlives it, so ask the database which it was.
          if (!(await roundExists(deps.pool, round.roundId)))
            throw notFound('round_not_found', `there is no round ${roundId}`);
          throw conflict('round_closed', 'this round is closed and takes no more votes');
        case 'not_open':
          throw conflict(
            'round_not_open',
            'this round has not opened yet: it takes votes from its opens_at on',
          );
        case 'duplicate':
          throw conflict(
            'duplicate_vote',
            round.voters === 'invited'
              ? 'this invitation has already voted in this round'
              : 'this voter has already voted in this round',
          );
        case 'not_invited':
          throw invitationInvalid();
        case 'accepted':
          deps.announcer.poke();
          deps.metrics.voteAccepted(round, parsed.choices);
          return {
            ok: true as const,
            round_id: roundId,
            receipt: cast.receipt,
            replaced: cast.replaced,
          };
        default:
          throw new AppError(500, 'internal_error', 'unexpected vote outcome');
      }
    },
  );
}

function invitedVoter(secret: string, roundId: string, header: string | undefined) {
  const keys = invitationKeys(secret, roundId, presentedCode(header));
  return { voterKey: keys.voterKey, invitation: keys.lookup };
}
