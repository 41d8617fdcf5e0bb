import fc from 'fast-check';
import { caseVariants, refusedIdForms } from '../support/id-forms.ts';
import type { JsonSchema, Operation } from './operations.ts';

/** What the fuzzer knows of the database, so that some requests reach deep into a route. */
export interface Known {
  roundIds: string[];
  receipts: string[];
  adminTokens: string[];
  /** Bodies known to be accepted, by OpenAPI path (a ballot of the right shape for a round). */
  examples: Record<string, unknown[]>;
}

/** A request as `app.inject` takes it, before it is sent. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** undefined: no body at all. */
  payload: string | undefined;
}

const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\ud83c',
  '\u202eazziP',
  '\u200b',
  '\u200b\u200d\ufeff',
  '\u3164',
  'é',
  'e\u0301',
  'Pizza',
  'pizza ',
  '𝕏🍕👨‍👩‍👧',
  '\r\n',
  '\t',
  '\u0085',
  '\u2028',
  '%',
  '%zz',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE rounds; --',
  '<script>alert(1)</script>',
  '\\',
  '"',
  'null',
  'true',
  '1e309',
  'NaN',
  '-0',
  '{}',
  '[]',
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(5_000),
  'é'.repeat(200),
  '\ufb2c'.repeat(200),
  '😀'.repeat(200),
  '😀'.repeat(101),
];

/** Text built to hurt: control characters, lone surrogates, look-alikes, SQL, huge strings. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_TEXT), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  {
    arbitrary: fc
      .array(fc.constantFrom('a', ' ', '\u0000', '\ud800', '\udfff', '\u200b', '\u0301', 'É'), {
        maxLength: 12,
      })
      .map((parts) => parts.join('')),
    weight: 2,
  },
);

const HOSTILE_NUMBERS = [
  0,
  -1,
  1,
  2,
  3,
  4,
  100,
  101,
  32_767,
  32_768,
  65_536,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  1e308,
  -1e308,
  1.5,
  -0,
  0.1,
];

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, for fields that should hold something else. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileText,
  fc.array(fc.oneof(hostileNumber, hostileText), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', 'round_id'), fc.integer(), {
    maxKeys: 2,
  }),
);

/** Case variants of an id: PostgreSQL reads all of them as one uuid. */
const caseVariant = (id: string) => fc.constantFrom(...caseVariants(id));

/** Forms of an id PostgreSQL or AJV's format "uuid" would take, or nearly: all refused; and two
 * well-formed ids no round has. */
const otherForm = (id: string) =>
  fc.constantFrom(
    ...refusedIdForms(id),
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  );

/** An id: mostly one that exists (in some casing), sometimes an unknown, a near miss, or junk. */
export function idLike(known: readonly string[]): fc.Arbitrary<string> {
  const existing = known.length > 0 ? fc.constantFrom(...known) : fc.uuid();
  return fc.oneof(
    { arbitrary: existing, weight: 5 },
    { arbitrary: existing.chain(caseVariant), weight: 2 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: existing.chain(otherForm), weight: 3 },
    { arbitrary: hostileText, weight: 1 },
  );
}

const DATE_TIMES = [
  'tomorrow',
  '2001-01-01T00:00:00Z',
  '2099-12-31T23:59:60Z',
  '2099-06-30T23:59:60Z',
  '2099-01-01t10:00:00z',
  '2099-01-01 10:00:00Z',
  '9999-12-31T23:59:59+23:59',
  '0000-01-01T00:00:00Z',
  '2099-02-30T10:00:00Z',
  '2099-01-01T10:00:00',
  '2099-01-01T10:00:00.123456789Z',
];

const futureDateTime = fc
  .integer({ min: 1, max: 400 * 24 * 3600 })
  .map((seconds) => new Date(Date.now() + 60_000 + seconds * 1000).toISOString());

/**
 * How values are drawn: `valid` keeps to the schema (so requests reach past validation, into the
 * handlers and the database), `hostile` mixes wrong types and edges into every field.
 */
export type Mode = 'valid' | 'hostile';

/** Benign text people type: letters, digits, spaces, accents, emoji. */
const benignText = (min: number, max: number) =>
  fc
    .array(fc.constantFrom('a', 'b', 'Z', '1', ' ', 'é', 'ß', '寿', '🍕', '-'), {
      minLength: Math.max(min, 1),
      maxLength: Math.max(max, 1),
    })
    .map((parts) => parts.join(''));

/** Values for a schema, in the given mode. */
export function fromSchema(
  schema: JsonSchema,
  known: Known,
  mode: Mode,
  field = '',
): fc.Arbitrary<unknown> {
  const conforming = conformingTo(schema, known, mode, field);
  if (mode === 'valid') return conforming;
  return fc.oneof({ arbitrary: conforming, weight: 5 }, { arbitrary: anyJson, weight: 1 });
}

function conformingTo(
  schema: JsonSchema,
  known: Known,
  mode: Mode,
  field: string,
): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((part) => conformingTo(part, known, mode, field)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema, known, mode, field);
    case 'integer':
      return integerFor(schema, mode, field);
    case 'number':
      return mode === 'valid'
        ? fc.double({ noNaN: true, noDefaultInfinity: true })
        : fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), hostileNumber);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return arrayFor(schema, known, mode, field);
    case 'object':
      return objectFor(schema, known, mode);
    default:
      return anyJson;
  }
}

function stringFor(
  schema: JsonSchema,
  known: Known,
  mode: Mode,
  field: string,
): fc.Arbitrary<string> {
  const ids = field === 'receipt' ? known.receipts : known.roundIds;
  if (schema.pattern?.includes('[0-9a-fA-F]{8}') || schema.format === 'uuid') {
    if (mode === 'hostile') return idLike(ids);
    const existing = ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid();
    return fc.oneof(
      { arbitrary: existing, weight: 4 },
      { arbitrary: existing.chain(caseVariant), weight: 1 },
    );
  }
  if (schema.format === 'date-time')
    return mode === 'valid'
      ? futureDateTime
      : fc.oneof(futureDateTime, fc.constantFrom(...DATE_TIMES), hostileText);
  const max = Math.min(schema.maxLength ?? 40, 40);
  const min = Math.min(schema.minLength ?? 0, max);
  if (mode === 'valid') return benignText(min, Math.min(max, 12));
  return fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: max }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }), weight: 1 },
    { arbitrary: hostileText, weight: 2 },
  );
}

function integerFor(schema: JsonSchema, mode: Mode, field: string): fc.Arbitrary<number> {
  // Option ids and choice counts are small: aim most values at the ones that exist.
  const small = /option|choice|ranking|limit/.test(field);
  const min = schema.minimum ?? (small ? 1 : -5);
  const max = Math.min(schema.maximum ?? 200, small ? 3 : 200);
  const inRange = fc.integer({ min, max: Math.max(min, max) });
  if (mode === 'valid') return inRange;
  return fc.oneof({ arbitrary: inRange, weight: 4 }, { arbitrary: hostileNumber, weight: 1 });
}

function arrayFor(
  schema: JsonSchema,
  known: Known,
  mode: Mode,
  field: string,
): fc.Arbitrary<unknown[]> {
  const items = schema.items ? conformingTo(schema.items, known, mode, field) : anyJson;
  const maxItems = schema.maxItems ?? 8;
  const minItems = Math.min(schema.minItems ?? 0, maxItems);
  const size = { minLength: minItems, maxLength: Math.max(minItems, Math.min(maxItems, 5)) };
  const sized = fc.array(items, size);
  // Valid lists hold each item once (labels, option ids): what a well-meaning client sends.
  if (mode === 'valid')
    return fc.uniqueArray(items, { ...size, selector: (item) => JSON.stringify(item) });
  return fc.oneof(
    { arbitrary: sized, weight: 6 },
    // Just past the limit, and with duplicates.
    { arbitrary: fc.array(items, { minLength: maxItems + 1, maxLength: maxItems + 1 }), weight: 1 },
    { arbitrary: items.map((item) => [item, item]), weight: 1 },
  );
}

function objectFor(
  schema: JsonSchema,
  known: Known,
  mode: Mode,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of properties) shape[name] = fromSchema(property, known, mode, name);
  const requiredKeys = properties.map(([name]) => name).filter((name) => required.has(name));
  const record = fc.record(shape, { requiredKeys });
  if (mode === 'valid') {
    // One optional field in three, so that a ballot holds exactly one of its three fields.
    return fc
      .tuple(fc.record(shape), fc.integer({ min: 0, max: 2 }))
      .map(([value, keep]) =>
        Object.fromEntries(
          Object.entries(value).filter(([key], index) => required.has(key) || index % 3 === keep),
        ),
      );
  }
  return fc.oneof(
    { arbitrary: record, weight: 8 },
    // A required field missing.
    {
      arbitrary: fc
        .tuple(record, fc.constantFrom(...(requiredKeys.length ? requiredKeys : ['-'])))
        .map(([value, drop]) => {
          const { [drop]: _dropped, ...rest } = value;
          return rest;
        }),
      weight: 1,
    },
    // An unknown field, or one that looks like a prototype.
    {
      arbitrary: fc
        .tuple(record, fc.constantFrom('opions', 'extra', '__proto__', 'constructor'), anyJson)
        .map(([value, key, extra]) => ({ ...value, [key]: extra })),
      weight: 1,
    },
  );
}

/** Percent-encodes every byte of the UTF-8 text (lone surrogates become U+FFFD's bytes). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** How a path parameter is put into the URL: encoded, or as given, or broken. */
const pathSegment = (value: string): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constant(percentEncode(value)), weight: 6 },
    { arbitrary: fc.constant(value.replace(/[^\x21-\x7e]/g, '')), weight: 1 },
    {
      arbitrary: fc.constantFrom('%zz', '%', '%c0%af', '%ED%A0%80', '%FF', '..', '%2e%2e'),
      weight: 1,
    },
  );

/** Header values are bytes on the wire: only text an HTTP parser lets through. */
const headerText = (text: string) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

const BODY_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/JSON',
  'application/json-patch+json',
  'application/xml',
  'application/x-ndjson',
];

const BROKEN_JSON = ['', ' ', '{', '{"a":', 'nul', '[', '"', '\u0000', '{"round_id":"x",}', '{}{}'];

/** The body of a request to an operation: JSON from its schema mostly, sometimes not JSON at all. */
function bodyFor(
  operation: Operation,
  known: Known,
  mode: Mode,
): fc.Arbitrary<{ type?: string; payload?: string }> {
  const json = (value: unknown) => ({ type: 'application/json', payload: JSON.stringify(value) });
  if (mode === 'valid') {
    if (!operation.body)
      return fc.constantFrom({}, { type: 'application/json', payload: '' }, json({}));
    const examples = known.examples[operation.path] ?? [];
    const fromDocument = fromSchema(operation.body, known, mode).map(json);
    if (examples.length === 0) return fromDocument;
    return fc.oneof(fromDocument, fc.constantFrom(...examples).map(json));
  }
  const broken = fc.oneof(
    fc.constantFrom(...BROKEN_JSON).map((payload) => ({ type: 'application/json', payload })),
    fc
      .tuple(fc.constantFrom(...BODY_TYPES), fc.constantFrom('{}', 'a=1', '', '<x/>'))
      .map(([type, payload]) => ({ type, payload })),
    fc.constant({ payload: '{}' }),
    fc.constant({}),
  );
  if (!operation.body) {
    // A route that takes no body: none, an empty one with a JSON type, or something anyway.
    return fc.oneof(
      { arbitrary: fc.constant({}), weight: 3 },
      { arbitrary: fc.constant({ type: 'application/json', payload: '' }), weight: 3 },
      { arbitrary: fc.constant(json({})), weight: 1 },
      { arbitrary: broken, weight: 2 },
    );
  }
  return fc.oneof(
    { arbitrary: fromSchema(operation.body, known, mode).map(json), weight: 8 },
    { arbitrary: anyJson.map(json), weight: 1 },
    { arbitrary: broken, weight: 2 },
  );
}

function headersFor(
  operation: Operation,
  known: Known,
  mode: Mode,
): fc.Arbitrary<Record<string, string>> {
  const token = known.adminTokens.length > 0 ? fc.constantFrom(...known.adminTokens) : fc.string();
  // Mostly voters not seen before, sometimes one who already voted.
  const voters = fc.oneof(
    fc.stringMatching(/^[a-z0-9]{6,12}$/),
    fc.constantFrom('alice', 'bob', 'carol', 'ALICE'),
  );
  const accepts = fc.constantFrom('*/*', 'text/csv', 'application/x-ndjson');
  const documented = operation.parameters.filter((parameter) => parameter.in === 'header');
  const shape: Record<string, fc.Arbitrary<string>> = mode === 'valid'
    ? { authorization: token.map((t) => `Bearer ${t}`), 'x-voter-id': voters, accept: accepts }
    : {
        authorization: fc.oneof(
          token.map((t) => `Bearer ${t}`),
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Basic dXNlcjpwYXNz',
            'bearer x',
            `Bearer ${'x'.repeat(5000)}`,
          ),
          hostileText.map((t) => `Bearer ${t}`),
        ),
        'x-voter-id': fc.oneof(voters, hostileText, fc.string({ maxLength: 210 })),
        accept: fc.oneof(accepts, fc.constantFrom('text/html', 'x/y;q=', '', 'text/csv;q=x')),
        'last-event-id': hostileText,
        'x-request-id': hostileText,
        ...Object.fromEntries(documented.map((p) => [p.name.toLowerCase(), hostileText])),
      };
  return fc.record(shape, { requiredKeys: [] }).map((headers) => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string') out[name] = headerText(value);
    }
    return out;
  });
}

const OTHER_METHODS = [
  'PATCH',
  'PUT',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'HEAD',
  'GET',
  'POST',
];
const JUNK_QUERIES = ['', '', '', '?', '?%zz=1', '?limit=1&limit=2', '?a[b]=1', '?__proto__=1'];

const asText = (value: unknown) =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/**
 * Requests to one operation, from its documented parameters and body: two in five keep to the
 * schema (and reach the database), the others are hostile in every part: values, encoding,
 * method, content type, body.
 */
export function requestsFor(operation: Operation, known: Known): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { arbitrary: requestsIn(operation, known, 'valid'), weight: 2 },
    { arbitrary: requestsIn(operation, known, 'hostile'), weight: 3 },
  );
}

function requestsIn(operation: Operation, known: Known, mode: Mode): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const segments = fc.tuple(
    ...pathParameters.map((parameter) =>
      fromSchema(parameter.schema, known, mode, parameter.name).chain((value) =>
        mode === 'valid' ? fc.constant(percentEncode(asText(value))) : pathSegment(asText(value)),
      ),
    ),
  );
  const query = fc.tuple(
    ...queryParameters.map((parameter) =>
      fc.option(
        fromSchema(parameter.schema, known, mode, parameter.name).map(
          (value) => `${parameter.name}=${percentEncode(asText(value))}`,
        ),
        { nil: undefined },
      ),
    ),
  );
  const method =
    mode === 'valid'
      ? fc.constant(operation.method)
      : fc.oneof(
          { arbitrary: fc.constant(operation.method), weight: 8 },
          { arbitrary: fc.constantFrom(...OTHER_METHODS), weight: 1 },
        );
  const junkQuery = mode === 'valid' ? fc.constant('') : fc.constantFrom(...JUNK_QUERIES);
  return fc
    .record({
      method,
      segments,
      query,
      junkQuery,
      headers: headersFor(operation, known, mode),
      body: bodyFor(operation, known, mode),
    })
    .map(({ method, segments, query, junkQuery, headers, body }) => {
      let index = 0;
      const path = operation.path.replace(/\{[^}]+\}/g, () => segments[index++] ?? '');
      const parts = query.filter((part): part is string => part !== undefined);
      const url = parts.length > 0 ? `${path}?${parts.join('&')}` : `${path}${junkQuery}`;
      const allHeaders = { ...headers };
      if (body.type !== undefined) allHeaders['content-type'] = body.type;
      return { method, url, headers: allHeaders, payload: body.payload };
    });
}
