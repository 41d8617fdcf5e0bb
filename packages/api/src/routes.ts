import { ErrorSchema, type HttpApp } from '@voting/runtime';
import type { ResultReader } from './results.ts';
import { FullResultSchema, RoundIdParams, SeedResultsSchema } from './schemas.ts';

const errors = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema };

/** `GET /rounds/:id` and `GET /rounds/:id/results`, served identically by vote and result. */
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
        summary: "A round's results in the seed's shape",
        tags: ['results'],
        params: RoundIdParams,
        response: { 200: SeedResultsSchema, ...errors },
      },
    },
    async (request) => reader.seed(request.params.id, request.headers.authorization),
  );
}
