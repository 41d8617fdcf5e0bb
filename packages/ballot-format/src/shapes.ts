/**
 * The records of the ballot export (docs/methods.md, "Ballot export") as TypeBox schemas: the
 * types the writer takes and the reader yields, and the checks the reader applies to every record
 * it reads. A record that fails its check is refused with an ExportFormatError naming where (the
 * line or row, given by the reader) and what: the field, and what it must be.
 *
 * The checks are TypeBox's compiled validators (`Compile`, the JIT form of `Value.Check` and
 * `Value.Errors`): a recount checks every ballot of a round, and the compiled check costs a
 * fraction of a microsecond per ballot where the interpreted one costs over ten.
 */
import { METHODS } from '@voting/domain';
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';

export const BALLOT_EXPORT_VERSION = 1;

/** How receipts and round ids are written: lowercase, as PostgreSQL prints a uuid. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const Uuid = Type.String({ pattern: UUID_PATTERN.source, description: 'a lowercase UUID' });

const OptionId = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'an option id (a positive integer)',
});

export const ExportOptionSchema = Type.Object(
  { option_id: OptionId, label: Type.String({ description: 'a string' }) },
  { description: 'an {"option_id", "label"} object' },
);
export type ExportOption = Static<typeof ExportOptionSchema>;

const ChoiceLimit = Type.Union([Type.Null(), OptionId], {
  description: 'null or a positive integer',
});

/** What a recount needs to know about the round, and when the export was taken. */
export const ExportRoundSchema = Type.Object(
  {
    version: Type.Literal(BALLOT_EXPORT_VERSION, {
      description: `${BALLOT_EXPORT_VERSION} (this reader knows no other version)`,
    }),
    round_id: Uuid,
    name: Type.String({ description: 'a string' }),
    method: Type.Enum(METHODS, { description: `one of ${METHODS.join(', ')}` }),
    options: Type.Array(ExportOptionSchema, {
      minItems: 1,
      description: 'a non-empty list of {"option_id", "label"} objects',
    }),
    min_choices: ChoiceLimit,
    max_choices: ChoiceLimit,
    /** Null when read from a CSV export, which does not carry it. */
    status: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Null()], {
      description: '"open", "closed" or null',
    }),
    closed_at: Type.Union([Type.String(), Type.Null()], { description: 'a string or null' }),
    /** The instant the ballots were read at (one snapshot for the whole export). */
    exported_at: Type.String({ description: 'a string' }),
  },
  { description: 'an object' },
);
export type ExportRound = Static<typeof ExportRoundSchema>;

export const ExportBallotSchema = Type.Object({
  receipt: Uuid,
  choices: Type.Array(OptionId, { description: 'a list of option ids' }),
});
export type ExportBallot = Static<typeof ExportBallotSchema>;

export const ExportEndSchema = Type.Object({
  end: Type.Object(
    {
      ballots: Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'a count (a non-negative integer)',
      }),
    },
    { description: 'an object, {"ballots": <count>}' },
  ),
});

/** Any JSON object (not an array, not null). */
export const JsonObjectSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: 'a JSON object',
});

export type ExportFormat = 'ndjson' | 'csv';

/** The input is not a well-formed ballot export; the message says where and why. */
export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

/**
 * A compiled check of `schema` that returns the value when it fits, and otherwise throws an
 * ExportFormatError: `<where>: <field> must be <description>`. `subject` names the checked value
 * in messages (`round` gives `round.options[0].label`); without one, fields are named alone.
 */
export function shapeCheck<const Schema extends TSchema>(schema: Schema, subject = '') {
  const validator = Compile(schema);
  return (value: unknown, where: string): Static<Schema> => {
    if (validator.Check(value)) return value as Static<Schema>;
    throw new ExportFormatError(`${where}: ${explain(schema, validator.Errors(value), subject)}`);
  };
}

const isJsonObject = Compile(JsonObjectSchema);

/** Whether a value is a JSON object (for reading documents loosely, like a published result). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return isJsonObject.Check(value);
}

/** One sentence for the first error: where in the value, and what it must be. */
function explain(schema: TSchema, errors: TLocalizedValidationError[], subject: string): string {
  // A union reports each branch's failure, then its own; its own (and its description) is the
  // one a person can act on.
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/anyOf/`);
  const error = errors.find((e) => !unions.some((prefix) => e.schemaPath.startsWith(prefix)));
  const field = error ? fieldName(subject, error.instancePath) : subject;
  const named = field || 'the record';
  if (error === undefined) return `${named} is not well formed`;
  if (error.keyword === 'required') {
    const missing = error.params.requiredProperties.map((name) => `"${name}"`).join(', ');
    return `${named} lacks ${missing}`;
  }
  const description = schemaAt(schema, error.schemaPath)?.description;
  return `${named} ${typeof description === 'string' ? `must be ${description}` : error.message}`;
}

/** `round` + `/options/0/label` → `round.options[0].label`. */
function fieldName(subject: string, instancePath: string): string {
  let name = subject;
  for (const segment of pointerSegments(instancePath)) {
    if (/^\d+$/.test(segment)) name += `[${segment}]`;
    else name += name === '' ? segment : `.${segment}`;
  }
  return name;
}

/** The subschema a JSON pointer (`#/properties/options/items`) leads to. */
function schemaAt(schema: TSchema, schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const segment of pointerSegments(schemaPath.replace(/^#/, ''))) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}
