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
const forBody = addFormats.default(new Ajv({ ...shared, coerceTypes: false }));
const forText = addFormats.default(new Ajv({ ...shared, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? forBody : forText).compile(schema);
