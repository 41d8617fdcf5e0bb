import { ErrorSchema, type HttpApp } from '@voting/runtime';
import type { ResultReader } from '../results.ts';
import { FullResultSchema, ResultsListSchema, RoundIdParams, RoundSchema } from '../schemas.ts';

const errors = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema };

/**
 * `GET /rounds/:id`, `GET /rounds/:id/results` and `GET /rounds/:id/definition`, served
 * identically by vote and result.
 */
export function registerResultRoutes(app: HttpApp, reader: ResultReader): void {
  app.get(
    '/rounds/:id',
    {
      schema: {
        summary: 'A round with its full result',
        tags: ['results'],
        params: RoundIdParams,
        response: { 200: FullResultSchema, ...errors },
      },
    },
    async (request) => reader.full(request.params.id, request.headers.authorization),
  );
  app.get(
    '/rounds/:id/results',
    {
      schema: {
        summary: "A round's results, most votes first (the original service's shape)",
        tags: ['results'],
        params: RoundIdParams,
        response: { 200: ResultsListSchema, ...errors },
      },
    },
    async (request) => reader.list(request.params.id, request.headers.authorization),
  );
  app.get(
    '/rounds/:id/definition',
    {
      schema: {
        summary: 'A round without its figures (what a ballot needs), whatever its visibility',
        tags: ['rounds'],
        params: RoundIdParams,
        response: { 200: RoundSchema, 400: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (request) => reader.definition(request.params.id),
  );
}
