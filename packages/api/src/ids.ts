import { canonicalLowerCase } from '@voting/runtime';
import { Type } from 'typebox';

/**
 * Ids the services take: UUIDs, written as PostgreSQL writes them (8-4-4-4-12 hex digits), in
 * lower or upper case. Every other form PostgreSQL or AJV's `format: "uuid"` would also take
 * (`urn:uuid:…`, braces, no hyphens, hyphens elsewhere) is refused with 400 before any SQL.
 */
export const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const uuid = new RegExp(UUID_PATTERN);

/**
 * The schema of every id in a path, query or body. Once valid it is lower-cased in place (the
 * `x-canonical` keyword of @voting/runtime's validator), so what a handler reads is the canonical
 * form: one round, however its id was typed, is one key for voter keys, caches and streams.
 */
export const UuidSchema = (description?: string) =>
  Type.String({
    format: 'uuid',
    pattern: UUID_PATTERN,
    ...canonicalLowerCase,
    ...(description === undefined ? {} : { description }),
  });

/** The canonical form of a valid id (lower case), or null when the text is not one. */
export function canonicalId(text: string): string | null {
  return uuid.test(text) ? text.toLowerCase() : null;
}
