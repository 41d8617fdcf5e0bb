import { randomUUID } from 'node:crypto';
import { MethodSchema, ResultsVisibilitySchema, VotersSchema } from '@voting/api';
import type { RoundDefinition, RoundEdit } from '@voting/db';
import { checkLabels, checkText, METHOD_TRAITS } from '@voting/domain';
import { badRequest } from '@voting/runtime';
import { type Static, Type } from 'typebox';

/**
 * What the round routes accept: the bodies of POST /rounds and PATCH /rounds/:id, and the checks
 * the schemas cannot express (text rules, dates, choice limits), which turn a body into the
 * fields a round is stored with.
 */
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
    opens_at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'A scheduled start: ballots before it are refused (409 round_not_open)',
      }),
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
    shuffle_options: Type.Optional(
      Type.Boolean({
        description:
          'The voting page shows the options in a random order per voter, on every method (default false: the order given)',
      }),
    ),
  },
  { additionalProperties: false },
);

const NullableDateTime = (description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

export const EditRoundBody = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Until the first ballot' }),
    ),
    options: Type.Optional(
      Type.Array(Label, {
        minItems: 2,
        maxItems: 100,
        description:
          'New labels of the options, in order, as many as the round has (their ids stay); until the first ballot',
      }),
    ),
    closes_at: Type.Optional(
      NullableDateTime('A new deadline while open, in the future (null: none)'),
    ),
    opens_at: Type.Optional(
      NullableDateTime('A new scheduled start, before the round has started (null: open now)'),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type NewRoundFields = ReturnType<typeof newRound>;

/**
 * A duplicate's settings: everything of the source but its id, token, join code (insertRound
 * draws a new one), ballots and roll. A deadline or a start already past is not copied (the copy
 * would be born closed, or "scheduled" in the past); one still ahead is.
 */
export function copyOf(source: RoundDefinition): NewRoundFields {
  const now = Date.now();
  const ahead = (at: Date | null) => (at !== null && at.getTime() > now ? at : null);
  return {
    roundId: randomUUID(),
    name: source.name,
    method: source.method,
    minChoices: source.minChoices,
    maxChoices: source.maxChoices,
    allowRevote: source.allowRevote,
    resultsVisibility: source.resultsVisibility,
    publicBallots: source.publicBallots,
    voters: source.voters,
    listed: source.listed,
    shuffleOptions: source.shuffleOptions,
    closesAt: ahead(source.closesAt),
    opensAt: ahead(source.opensAt),
    labels: source.options.map((option) => option.label),
  };
}

/**
 * Checks an edit as POST /rounds checks a new round: the name and labels by the domain's text
 * rules (a blank name is refused here: there is no default to fall back on), as many labels as
 * the round has options, and dates readable and in the future. Whether the round may still take
 * each change is decided under its row lock (editRound).
 */
export function checkEdit(body: Static<typeof EditRoundBody>, optionCount: number): RoundEdit {
  const edit: RoundEdit = {};
  if (body.name !== undefined) {
    const checked = checkText(body.name, 'the name');
    if (!checked.ok) throw badRequest('invalid_round', checked.message);
    if (!checked.text) throw badRequest('invalid_round', 'the name is blank');
    edit.name = checked.text;
  }
  if (body.options !== undefined) {
    if (body.options.length !== optionCount)
      throw badRequest(
        'invalid_round',
        `send ${optionCount} labels, one for each option of the round (options cannot be added or removed)`,
      );
    const checked = checkLabels(body.options);
    if (!checked.ok) throw badRequest('invalid_round', checked.message);
    edit.labels = checked.labels;
  }
  if (body.closes_at !== undefined) edit.closesAt = futureDate(body.closes_at, 'closes_at');
  if (body.opens_at !== undefined) edit.opensAt = futureDate(body.opens_at, 'opens_at');
  return edit;
}

/** A date-time from a body: null stays null; otherwise readable and in the future, else 400. */
function futureDate(value: string | null, field: string): Date | null {
  if (value === null) return null;
  const at = new Date(value);
  // A date-time the schema takes but JavaScript cannot read (a leap second, say) is refused here,
  // not sent to PostgreSQL as an invalid date.
  if (Number.isNaN(at.getTime()))
    throw badRequest('invalid_round', `${field} is not a date-time this service can read`);
  if (at.getTime() <= Date.now())
    throw badRequest('invalid_round', `${field} must be in the future`);
  return at;
}

type CreateRound = Static<typeof CreateRoundBody>;

/**
 * Checks what the schema cannot express and fills in the defaults. The name and labels go through
 * the domain's text rules (packages/domain/src/text.ts): refused with a control character, a NUL
 * or a lone surrogate; stored, and answered in the 201, NFC-normalized and trimmed; labels equal
 * but for case, spacing or invisible characters are duplicates, an invisible label is blank.
 */
export function newRound(body: CreateRound): Omit<
  RoundDefinition,
  'createdAt' | 'options' | 'adminTokenHash' | 'revision' | 'joinCode'
> & {
  labels: string[];
} {
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

  const closesAt = body.closes_at === undefined ? null : futureDate(body.closes_at, 'closes_at');
  const opensAt = body.opens_at === undefined ? null : futureDate(body.opens_at, 'opens_at');
  if (opensAt !== null && closesAt !== null && opensAt >= closesAt) {
    throw badRequest('invalid_round', 'opens_at must come before closes_at');
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
    shuffleOptions: body.shuffle_options ?? false,
    closesAt,
    opensAt,
    labels,
  };
}
