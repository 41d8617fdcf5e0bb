import { Readable } from 'node:stream';
import {
  BALLOT_EXPORT_VERSION,
  csvBallotRow,
  csvHeaderRow,
  csvRoundCells,
  EXPORT_CONTENT_TYPES,
  type ExportFormat,
  type ExportRound,
  ndjsonBallotLine,
  ndjsonEndLine,
  ndjsonRoundLine,
} from '@voting/ballot-format';
import {
  beginExportSnapshot,
  endExportSnapshot,
  type Pool,
  type PoolClient,
  type Queryable,
  type RoundDefinition,
  readBallotPage,
  readRoundClosedAt,
} from '@voting/db';
import { closedAsOf, isClosedAt, mayReadBallots } from '@voting/domain';
import { ErrorSchema, forbidden, type HttpApp, notFound } from '@voting/runtime';
import { Type } from 'typebox';
import { holdsRoundAdmin } from '../admin-auth.ts';
import { ReceiptWindows } from '../ballot-export-windows.ts';
import type { ResultReader } from '../results.ts';
import { RoundIdParams } from '../schemas.ts';

export interface BallotRoutesDeps {
  reader: ResultReader;
  pool: Pool;
  adminApiKey: string | undefined;
  /** Ballots read per query; see DEFAULT_EXPORT_PAGE_SIZE. */
  pageSize?: number;
}

/**
 * 5,000 ballots per keyset page: about 350 kB of NDJSON, written as one chunk. Large enough that
 * a million-ballot export is a few hundred index range scans, small enough that a slow reader
 * holds at most a page or two in memory (the stream asks for the next page only when the socket
 * has drained).
 */
export const DEFAULT_EXPORT_PAGE_SIZE = 5000;

const ExportQuery = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('ndjson'), Type.Literal('csv')], {
      description: 'Default: CSV when Accept prefers text/csv, else NDJSON',
    }),
  ),
});

/**
 * The public export `GET /rounds/:id/ballots`, served by vote and result alike (one
 * implementation, like the result routes).
 */
export function registerBallotRoutes(app: HttpApp, deps: BallotRoutesDeps): void {
  const pageSize = deps.pageSize ?? DEFAULT_EXPORT_PAGE_SIZE;

  app.get(
    '/rounds/:id/ballots',
    {
      schema: {
        summary: 'Every counted ballot (receipt and choices, never who cast it), streamed',
        description:
          'NDJSON: a {"round": …} line, one {"receipt","choices"} line per ballot in receipt ' +
          'order, an {"end":{"ballots":n}} line. CSV: a header row, one row per ballot. Open ' +
          'after close; while open only for rounds with live results and public_ballots, or ' +
          "for the round's admin. Format in docs/methods.md.",
        tags: ['ballots'],
        params: RoundIdParams,
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The export',
            content: {
              'application/x-ndjson': { schema: { type: 'string' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          400: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const round = await deps.reader.current(request.params.id);
      const format = request.query.format ?? preferredFormat(request.headers.accept);
      const state = await readRoundClosedAt(deps.pool, round.roundId);
      if (!state) throw notFound('round_not_found', `there is no round ${round.roundId}`);
      const closed = isClosedAt(round, state);
      const isAdmin = holdsRoundAdmin(round, request.headers.authorization, deps.adminApiKey);
      if (!mayReadBallots(round, closed, { isAdmin })) {
        throw forbidden(
          'ballots_hidden',
          'this round publishes its ballots when it closes (send the admin token to export now)',
        );
      }

      const chunks = exportChunks({ pool: deps.pool, round, format, pageSize, snapshot: !closed });
      // The first chunk (round line or header row) is read before answering, so a database that
      // cannot be reached gets the usual 503 rather than a 200 cut short.
      const first = await chunks.next();
      const body = Readable.from(
        (async function* () {
          if (!first.done) yield first.value;
          yield* { [Symbol.asyncIterator]: () => chunks };
        })(),
        // Bytes, not objects: the stream buffers about one page, then waits for the socket.
        { objectMode: false, highWaterMark: 64 * 1024 },
      );
      // However the response ends (finished, client gone, error), end the reading generator so
      // a held connection goes back to the pool; return() on a finished generator is a no-op.
      body.once('close', () => void chunks.return(undefined));
      return (
        reply
          .type(EXPORT_CONTENT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="round-${round.roundId}-ballots.${format}"`,
          )
          .header('cache-control', closed ? 'no-cache' : 'no-store')
          // A stream is sent as is; the typed reply only knows the JSON error bodies.
          .send(body as unknown as string)
      );
    },
  );
}

/** q-values of Accept for CSV and NDJSON; CSV only when it is strictly preferred. */
function preferredFormat(accept: string | undefined): ExportFormat {
  if (!accept) return 'ndjson';
  let csv = 0;
  let ndjson = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    const media = type.trim();
    if (media === 'text/csv') csv = Math.max(csv, q);
    else if (media === 'application/x-ndjson') ndjson = Math.max(ndjson, q);
    else if (media === 'text/*') csv = Math.max(csv, q);
    else if (media === 'application/*' || media === '*/*') ndjson = Math.max(ndjson, q);
  }
  return csv > ndjson ? 'csv' : 'ndjson';
}

interface ExportSource {
  pool: Pool;
  round: RoundDefinition;
  format: ExportFormat;
  pageSize: number;
  /**
   * Read an open round in one REPEATABLE READ snapshot on a held connection. A closed round's
   * ballots no longer change, so its pages are read from the pool, one short query each, and a
   * slow download holds no connection.
   */
  snapshot: boolean;
}

/** The export as text chunks: the round line (or header row), a chunk per page, the end line. */
async function* exportChunks(source: ExportSource): AsyncGenerator<string, void, undefined> {
  const { pool, round, format, pageSize } = source;
  let client: PoolClient | null = null;
  try {
    let db: Queryable = pool;
    if (source.snapshot) {
      client = await pool.connect();
      await beginExportSnapshot(client);
      db = client;
    }
    const state = await readRoundClosedAt(db, round.roundId);
    if (!state) throw notFound('round_not_found', `there is no round ${round.roundId}`);
    const closedAt = closedAsOf(round, state, state.asOf);
    const header: ExportRound = {
      version: BALLOT_EXPORT_VERSION,
      round_id: round.roundId,
      name: round.name,
      method: round.method,
      options: round.options.map(({ option_id, label }) => ({ option_id, label })),
      min_choices: round.minChoices,
      max_choices: round.maxChoices,
      status: closedAt ? 'closed' : 'open',
      closed_at: closedAt?.toISOString() ?? null,
      exported_at: state.asOf.toISOString(),
    };
    const roundCells = csvRoundCells(header);
    yield format === 'ndjson' ? ndjsonRoundLine(header) : csvHeaderRow(header);

    const windows = new ReceiptWindows(pageSize);
    let count = 0;
    while (!windows.done) {
      const { after, upTo } = windows.next();
      const page = await readBallotPage(db, round.roundId, after, upTo, pageSize);
      windows.advance(page.length, page.at(-1)?.receipt);
      if (page.length === 0) continue;
      let chunk = '';
      for (const ballot of page) {
        chunk +=
          format === 'ndjson' ? ndjsonBallotLine(ballot) : csvBallotRow(header, roundCells, ballot);
      }
      yield chunk;
      count += page.length;
    }
    if (format === 'ndjson') yield ndjsonEndLine(count);
  } finally {
    if (client) {
      // Ending the snapshot fails only on a broken connection, which is then discarded.
      const broken = await endExportSnapshot(client).then(
        () => undefined,
        (error: Error) => error,
      );
      client.release(broken);
    }
  }
}
