import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// Bodies are JSON: a string is never quietly turned into a number, so `{"option_id":"1"}` is
// refused rather than guessed at. Path and query values only exist as text, so those are coerced.
const shared: Options = {
  allErrors: false,
  useDefaults: true,
  removeAdditional: false,
  strict: false,
};

/**
 * The schema keyword of canonical forms: a string schema carrying `x-canonical: "lower-case"` has
 * its value lower-cased in place once it is valid, so everything after validation (SQL, voter
 * keys, caches) sees one form of a value the database reads case-insensitively, such as a UUID.
 * Spread it into a schema: `Type.String({ pattern, ...canonicalLowerCase })`.
 */
export const canonicalLowerCase = { 'x-canonical': 'lower-case' } as const;

/** Where AJV found the value it validates (its `DataValidationCxt`, not exported). */
interface DataContext {
  parentData?: unknown;
  parentDataProperty?: string | number;
}

function withCanonicalForms(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: 'x-canonical',
    type: 'string',
    schemaType: 'string',
    modifying: true,
    errors: false,
    validate: (form: string, data: string, _schema?: unknown, context?: DataContext) => {
      const parent = context?.parentData as Record<string | number, unknown> | undefined;
      const key = context?.parentDataProperty;
      if (form === 'lower-case' && parent && key !== undefined && key !== '')
        parent[key] = data.toLowerCase();
      return true;
    },
  });
  return ajv;
}

const forBody = withCanonicalForms(addFormats.default(new Ajv({ ...shared, coerceTypes: false })));
const forText = withCanonicalForms(
  addFormats.default(new Ajv({ ...shared, coerceTypes: 'array' })),
);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? forBody : forText).compile(schema);
