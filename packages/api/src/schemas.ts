import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, METHODS, VOTERS } from '@voting/domain';
import { Type } from 'typebox';
import { UuidSchema } from './ids.ts';

export * from './ids.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });

/** Every route taking a round id in its path: validated, then lower-cased (ids.ts). */
export const RoundIdParams = Type.Object({
  id: UuidSchema('The round id'),
});

export const MethodSchema = Type.Enum(METHODS, {
  description:
    'plurality (pick one), approval (pick several), ranked (instant-runoff), condorcet (Schulze)',
});

export const OptionSchema = Type.Object({ option_id: Type.Integer(), label: Type.String() });

export const ResultsVisibilitySchema = Type.Union([
  Type.Literal('live'),
  Type.Literal('after_close'),
]);

export const VotersSchema = Type.Enum(VOTERS, {
  description:
    'anyone: one ballot per X-Voter-Id (or per request without one); invited: one ballot per invitation code (X-Invitation-Code)',
});

export const RoundSchema = Type.Object({
  round_id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  method: MethodSchema,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('scheduled')], {
    description: 'scheduled: before its opens_at (takes no ballots yet); open; closed',
  }),
  options: Type.Array(OptionSchema),
  allow_revote: Type.Boolean(),
  results_visibility: Type.Union(ResultsVisibilitySchema.anyOf, {
    description: 'The `results` setting given at creation',
  }),
  public_ballots: Type.Boolean(),
  voters: VotersSchema,
  listed: Type.Boolean({ description: 'Shown by GET /rounds and on the home page' }),
  min_choices: Nullable(Type.Integer()),
  max_choices: Nullable(Type.Integer()),
  created_at: Timestamp,
  closes_at: Nullable(Timestamp),
  closed_at: Nullable(Timestamp),
  opens_at: Nullable({ ...Timestamp, description: 'The scheduled start, if any' }),
  shuffle_options: Type.Boolean({
    description: 'The voting page shows the options in a random order per voter',
  }),
  join_code: Nullable(
    Type.String({
      pattern: `^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`,
      description:
        'The short code that leads to the round (GET /join/{code}, /j/{code}): public, like the round id; null for rounds created before join codes',
    }),
  ),
});

/** The results list, in the original service's shape: most votes first, ties in option order. */
export const ResultsListSchema = Type.Array(
  Type.Object({ option_id: Type.Integer(), label: Type.String(), votes: Type.Integer() }),
);

export const FullResultSchema = Type.Object({
  ...RoundSchema.properties,
  total_ballots: Type.Integer({ description: 'Ballots counted' }),
  eligible: Type.Optional(
    Type.Integer({ description: 'Invited rounds: invitations issued and not revoked' }),
  ),
  voted: Type.Optional(
    Type.Integer({ description: 'Invited rounds: invitations that voted (one ballot each)' }),
  ),
  results: Type.Array(
    Type.Object({
      option_id: Type.Integer(),
      label: Type.String(),
      votes: Type.Integer({ description: 'Votes (approvals; first choices for ranked methods)' }),
      share: Type.Number({ description: 'votes / total_ballots, 0 when there are none' }),
    }),
  ),
  as_of: Type.String({
    format: 'date-time',
    description: 'The moment these figures are exact for',
  }),
  final: Type.Boolean({
    description: 'True once the round is closed and its result stored for good',
  }),
  tabulation: Type.Optional(
    Type.Object(
      { as_of: Timestamp, ballots: Type.Integer(), result: Type.Unknown() },
      {
        description:
          'The full tabulation stored by the worker: ranked and condorcet rounds while open, ' +
          'every round once final (what `npm run recount` compares with)',
      },
    ),
  ),
});
