/**
 * `npm run recount`: recounts a round from its public ballot export with the system's own counting
 * code, and says whether the outcome equals the published result.
 *
 *   npm run recount -- <export file | URL> [--result <URL | file>] [--token <admin token>] [--json]
 *
 *   npm run recount -- http://localhost:8081/rounds/<id>/ballots
 *   npm run recount -- http://localhost:8081/rounds/<id>          (same: export and result)
 *   npm run recount -- ballots.ndjson --result http://localhost:8081/rounds/<id>
 *   npm run recount -- ballots.csv --result round.json
 *
 * Given a URL, the published result is fetched from the round (GET /rounds/:id) unless --result
 * names another source. `-` reads the export from standard input. --token sends
 * "Authorization: Bearer <token>" (the round's admin token exports an open round's ballots).
 *
 * Exit status: 0 the recount matches the published result, 1 it does not, 2 bad input (the
 * export or result cannot be read, is not well formed, holds a ballot the rules refuse, or there
 * is no published result to compare with).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  compareWithPublished,
  describeResult,
  ExportFormatError,
  publishedResults,
  type Recount,
  recountBallotExport,
} from '@voting/ballot-format';
import { canonicalResultJson } from '@voting/domain';

const USAGE =
  'usage: npm run recount -- <export file | URL | -> [--result <URL | file>] [--token <token>] [--json]';

/** Bad input: exit status 2. */
class InputError extends Error {}

const roundPath = /^(.*\/rounds\/[0-9a-fA-F-]{36})(\/ballots)?\/?$/;

interface Sources {
  exportSource: string;
  /** Where the published result comes from, or null when there is none to compare with. */
  resultSource: string | null;
}

function sourcesFrom(input: string, result: string | undefined): Sources {
  if (!isUrl(input)) return { exportSource: input, resultSource: result ?? null };
  const url = new URL(input);
  const match = roundPath.exec(url.pathname);
  if (!match) {
    throw new InputError(`${input} is not a round URL (…/rounds/<id> or …/rounds/<id>/ballots)`);
  }
  const roundUrl = new URL(url);
  roundUrl.pathname = match[1] ?? '';
  roundUrl.search = '';
  const exportUrl = new URL(url);
  if (!match[2]) exportUrl.pathname = `${match[1]}/ballots`;
  return { exportSource: exportUrl.toString(), resultSource: result ?? roundUrl.toString() };
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function fetchOk(url: string, accept: string, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    throw new InputError(
      `cannot fetch ${url}: ${(error as Error).cause ?? (error as Error).message}`,
    );
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let detail = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { error?: string; message?: string };
      if (body.error) detail = `${body.error}: ${body.message ?? ''}`;
    } catch {
      // not a JSON error body; show the start of the text
    }
    throw new InputError(`${url} answered ${response.status} ${detail}`.trim());
  }
  return response;
}

async function openExport(
  source: string,
  token: string | undefined,
): Promise<AsyncIterable<Uint8Array>> {
  if (source === '-') return process.stdin;
  if (isUrl(source)) {
    const response = await fetchOk(source, 'application/x-ndjson, text/csv;q=0.5', token);
    if (!response.body) throw new InputError(`${source} answered without a body`);
    return Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]);
  }
  const stream = createReadStream(source);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) =>
      reject(new InputError(`cannot read ${source}: ${error.message}`)),
    );
  });
  return stream;
}

async function readPublished(source: string, token: string | undefined): Promise<unknown> {
  let text: string;
  if (isUrl(source)) {
    text = await (await fetchOk(source, 'application/json', token)).text();
  } else {
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${source}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`the published result at ${source} is not JSON`);
  }
}

function heading(recount: Recount): string {
  const { round } = recount;
  const name = round.name ? ` "${round.name}"` : '';
  const when = round.exported_at ? `, exported ${round.exported_at}` : '';
  const status = round.status ? `, round ${round.status}` : '';
  return `Round ${round.round_id}${name}: ${round.method}, ${recount.ballots} ballots in the ${recount.format.toUpperCase()} export${when}${status}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      result: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [input, ...extra] = positionals;
  if (input === undefined || extra.length > 0) throw new InputError(USAGE);

  const { exportSource, resultSource } = sourcesFrom(input, values.result);
  const recount = await recountBallotExport(await openExport(exportSource, values.token));

  if (resultSource === null) {
    if (values.json) {
      console.log(JSON.stringify({ round: recount.round, result: recount.result, match: null }));
    } else {
      console.log(heading(recount));
      console.log(describeResult(recount.round, recount.result));
    }
    throw new InputError(
      'no published result to compare with: pass --result <URL of GET /rounds/:id, or a saved copy>',
    );
  }

  const published = publishedResults(
    await readPublished(resultSource, values.token),
    recount.round,
  );
  const comparison = compareWithPublished(recount, published);
  if (values.json) {
    console.log(
      JSON.stringify({
        round: recount.round,
        ballots: recount.ballots,
        result: JSON.parse(canonicalResultJson(recount.result)),
        published: { source: resultSource, final: published.final },
        match: comparison.match,
        differences: comparison.differences,
      }),
    );
  } else {
    console.log(heading(recount));
    console.log(describeResult(recount.round, recount.result));
    console.log('');
    const forms = published.results.map((entry) => entry.source).join(' and ');
    if (!published.final) {
      console.log(
        'note: the published result is not final; while a round is open its counts can move between the two downloads',
      );
    }
    if (comparison.match) {
      console.log(`MATCH: the recount equals the published result (${forms}) of ${resultSource}`);
    } else {
      console.log(`MISMATCH: the recount differs from the published result of ${resultSource}`);
      for (const difference of comparison.differences) console.log(`  - ${difference}`);
    }
  }
  return comparison.match ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InputError || error instanceof ExportFormatError) {
      console.error(`recount: ${error.message}`);
    } else if (
      error instanceof Error &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`recount: ${error.message}\n${USAGE}`);
    } else {
      console.error('recount: unexpected failure', error);
    }
    process.exitCode = 2;
  },
);
