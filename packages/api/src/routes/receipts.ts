import { findBallotByReceipt, type Queryable, roundExists } from '@voting/db';
import { ErrorSchema, type HttpApp, notFound } from '@voting/runtime';
import { Type } from 'typebox';
import type { ResultReader } from '../results.ts';
import { RoundIdParams, UuidSchema } from '../schemas.ts';

const ReceiptParams = Type.Object({
  ...RoundIdParams.properties,
  receipt: UuidSchema('The receipt POST /vote answered with'),
});

export const ReceiptBallotSchema = Type.Object({
  round_id: Type.String({ format: 'uuid' }),
  receipt: Type.String({ format: 'uuid' }),
  method: Type.String(),
  choices: Type.Array(Type.Integer(), {
    description: 'Option ids as counted: best first for ranked methods, ascending for approval',
  }),
  labels: Type.Array(Type.String(), { description: 'The labels of `choices`, in the same order' }),
  cast_at: Type.String({ format: 'date-time' }),
});

/**
 * `GET /rounds/:id/receipts/:receipt`: the ballot a receipt stands for, as it is counted.
 *
 * Unlike the export, this answers whatever the round's visibility: the receipt is a random
 * 122-bit UUID handed only to whoever cast the ballot, so holding it is the proof of being
 * entitled to see that one ballot, and the answer tells nothing about anyone else's ballot or
 * the totals. A receipt replaced by a revote is no longer counted and answers 404. Cast time is
 * shown here, to the receipt's holder, but never in the public export, where it could tie a
 * ballot to a voter seen voting at that moment.
 */
export function registerReceiptRoute(
  app: HttpApp,
  deps: { reader: ResultReader; db: Queryable },
): void {
  app.get(
    '/rounds/:id/receipts/:receipt',
    {
      schema: {
        summary: 'Check your ballot by its receipt',
        tags: ['ballots'],
        params: ReceiptParams,
        response: {
          200: ReceiptBallotSchema,
          400: ErrorSchema,
          404: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request) => {
      // Both ids arrive validated and lower-cased by their schema (ids.ts).
      const round = await deps.reader.current(request.params.id);
      const ballot = await findBallotByReceipt(deps.db, round.roundId, request.params.receipt);
      if (!ballot) {
        // A round deleted since this process cached it has no ballots either: say which.
        if (!(await roundExists(deps.db, round.roundId)))
          throw notFound('round_not_found', `there is no round ${round.roundId}`);
        throw notFound(
          'receipt_not_found',
          'no counted ballot of this round has that receipt (a revote replaces the receipt)',
        );
      }
      const labels = new Map(round.options.map((option) => [option.option_id, option.label]));
      return {
        round_id: round.roundId,
        receipt: ballot.receipt,
        method: round.method,
        choices: ballot.choices,
        labels: ballot.choices.map((id) => labels.get(id) ?? String(id)),
        cast_at: ballot.castAt.toISOString(),
      };
    },
  );
}
