/**
 * The API's shapes, from the schemas the services validate and document them with (a type-only
 * import: nothing of the server reaches the bundle).
 */
import type { Static } from 'typebox';
import type { FullResultSchema, RoundSchema } from '../../../../packages/api/src/schemas.ts';

export type RoundView = Static<typeof RoundSchema>;
export type FullResult = Static<typeof FullResultSchema>;
