/**
 * `npm run bench`: one run, one machine. Starts the system (embedded PostgreSQL unless
 * DATABASE_URL is set) and a bare node:http baseline, drives both with the same load generator
 * (wrk, else autocannon) and settings in alternation, prints one table and writes it as JSON.
 * Options: --seconds=N per measured run (default 10), --smoke (2 s runs, small fills, for CI),
 * --fanout-clients=N (default 1000), --fill=N ballots for the large results read (default 1,000,000).
 * Exits 1 when any scenario had an error: a fast run with errors is not a result.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@voting/db';
import { fillPluralityRound } from './fill-round.ts';
import { drive, type LoadResult, loadTool } from './load.ts';
import { printTable, type Row } from './report.ts';
import { measureStreamFanout } from './stream-fanout.ts';
import { ports, startBenchSystem } from './system.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    smoke: { type: 'boolean', default: false },
    'fanout-clients': { type: 'string' },
    fill: { type: 'string' },
  },
});
const smoke = values.smoke;
const seconds = smoke ? 2 : Number(values.seconds);
const fanoutClients = Number(values['fanout-clients'] ?? (smoke ? 100 : 1000));
const largeFill = Number(values.fill ?? (smoke ? 20_000 : 1_000_000));
const CONNECTIONS = 50;
const voteUrl = `http://127.0.0.1:${ports.vote}`;
const resultUrl = `http://127.0.0.1:${ports.result}`;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function createRound(body: object): Promise<string> {
  const response = await fetch(`${voteUrl}/rounds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`creating a round failed: ${response.status}`);
  return ((await response.json()) as { round_id: string }).round_id;
}

const mean = (results: LoadResult[]): LoadResult => ({
  tool: results[0]?.tool ?? loadTool(),
  requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0) / results.length,
  p50Ms: results.reduce((sum, r) => sum + r.p50Ms, 0) / results.length,
  p99Ms: results.reduce((sum, r) => sum + r.p99Ms, 0) / results.length,
  errors: results.reduce((sum, r) => sum + r.errors, 0),
});

async function main(): Promise<number> {
  log(
    `bench: ${loadTool()}, ${CONNECTIONS} connections, ${seconds} s per run${smoke ? ' (smoke)' : ''}`,
  );
  const system = await startBenchSystem(log);
  const rows: Row[] = [];
  try {
    const plurality = await createRound({ name: 'bench plurality', options: ['A', 'B', 'C'] });
    const ranked = await createRound({
      name: 'bench ranked',
      method: 'ranked',
      options: ['A', 'B', 'C', 'D', 'E'],
    });
    const load = (kind: 'ballots' | 'get', url: string, label: string, extra: object = {}) =>
      drive({ kind, url, runLabel: label, connections: CONNECTIONS, seconds, ...extra });
    const warm = (kind: 'ballots' | 'get', url: string, label: string, extra: object = {}) =>
      drive({
        kind,
        url,
        runLabel: label,
        connections: CONNECTIONS,
        seconds: Math.min(2, seconds),
        ...extra,
      });

    // Warm-up runs (JIT, pools, caches) are not reported.
    await warm('ballots', `http://127.0.0.1:${ports.baseline}`, 'warm-baseline', {
      roundId: plurality,
    });
    await warm('ballots', voteUrl, 'warm-vote', { roundId: plurality });

    // Baseline and votes in alternation, so drift of the machine hits both alike.
    const baselineRuns: LoadResult[] = [];
    const voteRuns: LoadResult[] = [];
    for (let pass = 0; pass < 2; pass++) {
      baselineRuns.push(
        await load('ballots', `http://127.0.0.1:${ports.baseline}`, `baseline-${pass}`, {
          roundId: plurality,
        }),
      );
      voteRuns.push(await load('ballots', voteUrl, `vote-${pass}`, { roundId: plurality }));
    }
    const baseline = mean(baselineRuns);
    rows.push({ scenario: 'baseline: node:http parse JSON, answer {"ok":true}', ...baseline });
    rows.push({
      scenario: 'POST /vote plurality, unique voter ids',
      ...mean(voteRuns),
      baseline,
      target: 'req/s ≥ 0.5× baseline, p99 ≤ 10 ms',
    });

    await warm('ballots', voteUrl, 'warm-ranked', { roundId: ranked, method: 'ranked' });
    rows.push({
      scenario: 'POST /vote ranked, 5 options',
      ...(await load('ballots', voteUrl, 'ranked', { roundId: ranked, method: 'ranked' })),
      baseline,
    });

    const small = await createRound({ name: 'bench reads 1k', options: ['A', 'B', 'C'] });
    const large = await createRound({ name: 'bench reads large', options: ['A', 'B', 'C'] });
    log(`bench: filling a round with ${largeFill.toLocaleString('en')} ballots`);
    const db = createClient(system.databaseUrl);
    await db.connect();
    await fillPluralityRound(db, small, { from: 0, count: 1000, optionCount: 3 });
    await fillPluralityRound(db, large, { from: 0, count: largeFill, optionCount: 3 });
    await db.query('ANALYZE ballots');
    await db.end();
    await warm('get', `${resultUrl}/rounds/${small}/results`, 'warm-read');
    const readSmall = await load('get', `${resultUrl}/rounds/${small}/results`, 'read-1k');
    const readLarge = await load('get', `${resultUrl}/rounds/${large}/results`, 'read-large');
    rows.push({ scenario: 'GET results, 1,000 ballots', ...readSmall });
    rows.push({
      scenario: `GET results, ${largeFill.toLocaleString('en')} ballots`,
      ...readLarge,
      note: `p50 ratio to 1,000: ${(readLarge.p50Ms / readSmall.p50Ms).toFixed(2)}`,
      target: 'p50 ≤ 2 ms, ≤ 1.5× the 1,000-ballot p50',
    });

    const fanout = await measureStreamFanout({
      voteUrl,
      resultUrl,
      clients: fanoutClients,
      votes: smoke ? 5 : 20,
      pauseMs: 150,
    });
    rows.push({
      scenario: `stream: vote ack → event, ${fanout.clients} clients × ${fanout.votes} votes`,
      tool: 'own client',
      requestsPerSecond: Number.NaN,
      p50Ms: fanout.p50Ms,
      p99Ms: fanout.p99Ms,
      errors: fanout.errors,
      target: 'p99 ≤ 250 ms',
    });

    const rss = await system.peakRssMb();
    const ballots = await countBallots(system.databaseUrl, plurality);
    log(
      `bench: ${ballots.toLocaleString('en')} plurality ballots stored, one per acknowledged vote`,
    );
    printTable(rows, rss);
    const outDirectory = path.join(import.meta.dirname, 'out');
    await mkdir(outDirectory, { recursive: true });
    const report = {
      at: new Date().toISOString(),
      smoke,
      seconds,
      connections: CONNECTIONS,
      tool: loadTool(),
      rows,
      peakRssMb: rss,
    };
    await writeFile(path.join(outDirectory, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    const failed = rows.filter((row) => row.errors > 0);
    for (const row of failed) log(`bench: FAILED: "${row.scenario}" had ${row.errors} errors`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await system.stop();
  }
}

async function countBallots(url: string, roundId: string): Promise<number> {
  const client = createClient(url);
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ballots WHERE round_id = $1',
      [roundId],
    );
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`bench: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
