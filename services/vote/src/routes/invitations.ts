import { randomUUID } from 'node:crypto';
import { type ResultReader, RoundIdParams, requireRoundAdmin, UuidSchema } from '@voting/api';
import {
  issueInvitations,
  listInvitations,
  type NewInvitation,
  type Pool,
  type RoundDefinition,
  readLiveTallies,
  revokeInvitation,
  roundExists,
} from '@voting/db';
import { checkText } from '@voting/domain';
import {
  AppError,
  badRequest,
  conflict,
  ErrorSchema,
  type HttpApp,
  notFound,
} from '@voting/runtime';
import { type Static, Type } from 'typebox';
import { invitationKeys, newInvitationCode } from '../invitation-codes.ts';

/** Most invitations one request issues: a large electorate's list, in a few requests. */
export const MAX_INVITATIONS_PER_REQUEST = 10_000;
/** Most invitations a round's roll holds, revoked ones included: it bounds the table per round. */
export const MAX_INVITATIONS_PER_ROUND = 100_000;
/**
 * The body of an issuing request may exceed the services' 64 KiB: 10,000 labels of names or
 * e-mail addresses (~20–60 bytes each in JSON) take 0.2–0.6 MB.
 */
const ISSUE_BODY_LIMIT_BYTES = 1024 * 1024;

const IssueBody = Type.Object(
  {
    count: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_INVITATIONS_PER_REQUEST, description: 'How many' }),
    ),
    labels: Type.Optional(
      Type.Array(Type.String({ maxLength: 200 }), {
        minItems: 1,
        maxItems: MAX_INVITATIONS_PER_REQUEST,
        description: "One invitation per label: the organizer's own note (a name, an address)",
      }),
    ),
  },
  { additionalProperties: false, description: 'Either count or labels' },
);

const IssuedInvitation = Type.Object({
  invitation_id: Type.String({ format: 'uuid' }),
  label: Type.String(),
  code: Type.String({ description: 'Shown only this once' }),
  url: Type.String({ description: 'The voting page, with the code in its fragment' }),
});

const Invitation = Type.Object({
  invitation_id: Type.String({ format: 'uuid' }),
  label: Type.String(),
  issued_at: Type.String({ format: 'date-time' }),
  used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  // The position of the last invitation of the previous page, as next_cursor gave it.
  cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })),
});

const InvitationParams = Type.Object({
  id: UuidSchema('The round id'),
  invitation_id: UuidSchema('The invitation id'),
});

const adminErrors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  503: ErrorSchema,
};

/** What these routes read of a request: its admin token and the origin it was sent to. */
interface Caller {
  headers: { authorization?: string };
  protocol: string;
  host: string;
}

export interface InvitationRoutesDeps {
  pool: Pool;
  reader: ResultReader;
  adminApiKey: string | undefined;
  voterKeySecret: string;
}

/** The voter roll of an invited round: issue, list and revoke invitations (admin token). */
export function registerInvitationRoutes(app: HttpApp, deps: InvitationRoutesDeps): void {
  const invitedRound = async (request: Caller, roundId: string) => {
    const round = await deps.reader.round(roundId);
    requireRoundAdmin(round, request.headers.authorization, deps.adminApiKey);
    if (round.voters !== 'invited')
      throw badRequest('round_not_invited', 'this round is open to anyone: it has no voter roll');
    return round;
  };

  app.post(
    '/rounds/:id/invitations',
    {
      bodyLimit: ISSUE_BODY_LIMIT_BYTES,
      schema: {
        summary: 'Issue invitations to an invited round (admin token); codes are shown once',
        tags: ['invitations'],
        params: RoundIdParams,
        body: IssueBody,
        response: {
          201: Type.Object({ invitations: Type.Array(IssuedInvitation) }),
          ...adminErrors,
          409: ErrorSchema,
          413: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const round = await invitedRound(request, request.params.id);
      const labels = labelsOf(request.body);
      const codes = labels.map(() => newInvitationCode());
      const invitations: NewInvitation[] = labels.map((label, index) => ({
        invitationId: randomUUID(),
        codeHash: invitationKeys(deps.voterKeySecret, round.roundId, codes[index] as string).lookup,
        label,
      }));
      const issued = await issueInvitations(
        deps.pool,
        round.roundId,
        invitations,
        MAX_INVITATIONS_PER_ROUND,
      );
      if (issued.outcome === 'closed')
        throw conflict('round_closed', 'this round is closed: it takes no more invitations');
      if (issued.outcome === 'roll_full')
        throw conflict(
          'roll_full',
          `a round holds at most ${MAX_INVITATIONS_PER_ROUND} invitations; this one has ${issued.issued}`,
        );
      if (issued.outcome === 'not_invited') throw notFound('round_not_found', 'no such round');
      const page = votingPageOf(request, round);
      return reply.status(201).send({
        invitations: invitations.map((invitation, index) => ({
          invitation_id: invitation.invitationId,
          label: invitation.label,
          code: codes[index] as string,
          url: `${page}#code=${codes[index]}`,
        })),
      });
    },
  );

  app.get(
    '/rounds/:id/invitations',
    {
      schema: {
        summary:
          "An invited round's voter roll (admin token), in the order issued: who voted and when, never what",
        tags: ['invitations'],
        params: RoundIdParams,
        querystring: ListQuery,
        response: {
          200: Type.Object({
            invitations: Type.Array(Invitation),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
            eligible: Type.Integer({ description: 'Issued and not revoked' }),
            voted: Type.Integer({ description: 'Invitations that voted' }),
          }),
          ...adminErrors,
        },
      },
    },
    async (request) => {
      const round = await invitedRound(request, request.params.id);
      const [page, tallies] = await Promise.all([
        listInvitations(
          deps.pool,
          round.roundId,
          request.query.limit,
          Number(request.query.cursor ?? 0),
        ),
        readLiveTallies(deps.pool, round.roundId),
      ]);
      // Deleted since this process cached it (DELETE /rounds/:id).
      if (!tallies) throw notFound('round_not_found', `there is no round ${round.roundId}`);
      return {
        invitations: page.invitations.map((invitation) => ({
          invitation_id: invitation.invitationId,
          label: invitation.label,
          issued_at: invitation.issuedAt.toISOString(),
          used_at: invitation.usedAt?.toISOString() ?? null,
          revoked_at: invitation.revokedAt?.toISOString() ?? null,
        })),
        next_cursor: page.next === null ? null : String(page.next),
        eligible: tallies.eligible ?? 0,
        voted: tallies.ballots,
      };
    },
  );

  app.delete(
    '/rounds/:id/invitations/:invitation_id',
    {
      schema: {
        summary: 'Revoke an invitation that has not voted (admin token)',
        tags: ['invitations'],
        params: InvitationParams,
        response: {
          200: Type.Object({
            invitation_id: Type.String({ format: 'uuid' }),
            revoked_at: Type.String({ format: 'date-time' }),
          }),
          ...adminErrors,
          409: ErrorSchema,
        },
      },
    },
    async (request) => {
      const round = await invitedRound(request, request.params.id);
      const { invitation_id: invitationId } = request.params;
      const revoked = await revokeInvitation(deps.pool, round.roundId, invitationId);
      if (revoked.outcome === 'not_found' && !(await roundExists(deps.pool, round.roundId)))
        throw notFound('round_not_found', `there is no round ${round.roundId}`);
      if (revoked.outcome === 'not_found')
        throw notFound('invitation_not_found', `this round has no invitation ${invitationId}`);
      if (revoked.outcome === 'used')
        throw conflict(
          'invitation_used',
          'this invitation has voted: it cannot be revoked, and its ballot stays counted',
        );
      return { invitation_id: invitationId, revoked_at: revoked.revokedAt.toISOString() };
    },
  );
}

/** The labels to issue, checked by the text rules: `count` blank ones, or the given ones. */
function labelsOf(body: Static<typeof IssueBody>): string[] {
  if ((body.count === undefined) === (body.labels === undefined))
    throw badRequest('invalid_request', 'send either count or labels');
  if (body.count !== undefined) return Array.from({ length: body.count }, () => '');
  return (body.labels ?? []).map((label, index) => {
    const checked = checkText(label, `label ${index + 1}`);
    if (!checked.ok) throw badRequest('invalid_request', checked.message);
    return checked.text;
  });
}

/**
 * The voting page of the round, on the origin the organizer called (the manage page's own, or
 * the one the ingress forwarded as Host), so the link works wherever the pages are served.
 */
function votingPageOf(request: Caller, round: RoundDefinition): string {
  if (!request.host) throw new AppError(400, 'invalid_request', 'a Host header is needed');
  return `${request.protocol}://${request.host}/r/${round.roundId}`;
}
