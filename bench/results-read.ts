/**
 * Results read latency at 1,000 and at 1,000,000 ballots in one round (invariant 6: reads do not
 * grow with the number of ballots). Fills a plurality round in bulk (bench/fill-round.ts), runs the
 * result service as its own process on the loopback interface, and times sequential
 * `GET /rounds/:id/results` over one keep-alive connection, warm-up excluded. Prints p50/p99 at
 * both sizes and their ratio; exits non-zero if any request failed or answered wrong figures.
 *
 *   npx tsx bench/results-read.ts            (embedded PostgreSQL on port 15434, .data/bench-postgres)
 *   DATABASE_URL=postgres://… npx tsx bench/results-read.ts
 *
 * Goal (issue 3): p50 ≤ 2 ms and p50 ratio ≤ 1.5.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  createClient,
  createDatabaseIfMissing,
  databaseUrl,
  dropDatabaseIfExists,
  type EmbeddedDatabase,
  insertRound,
  loadMigrations,
  migrate,
  startEmbeddedDatabase,
} from '@voting/db';
import {
  repositoryRoot,
  spawnService,
  stopProcesses,
  waitUntilReady,
} from '../scripts/service-processes.ts';
import { fillPluralityRound } from './fill-round.ts';

const BENCH_EMBEDDED_PORT = 15434; // not `npm start`'s 15432 nor the tests' 15433
const DATABASE = 'voting_bench_results_read';
const OPTIONS = ['Alpha', 'Beta', 'Gamma', 'Delta'];
const SMALL = 1_000;
const LARGE = 1_000_000;
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 1000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5000);

const log = (line: string) => process.stdout.write(`${line}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function get(agent: http.Agent, port: number, urlPath: string) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: urlPath, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve({ status: 0, body: '' }));
    });
    request.on('error', () => resolve({ status: 0, body: '' }));
  });
}

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

interface Measured {
  p50: number;
  p99: number;
  mean: number;
  failures: number;
}

/** Sequential reads; each answer must be 200 with votes summing to `expectedBallots`. */
async function measure(
  agent: http.Agent,
  port: number,
  roundId: string,
  expectedBallots: number,
): Promise<Measured> {
  const urlPath = `/rounds/${roundId}/results`;
  let failures = 0;
  const check = (answer: { status: number; body: string }) => {
    if (answer.status !== 200) return false;
    const rows = JSON.parse(answer.body) as { votes: number }[];
    return (
      rows.length === OPTIONS.length &&
      rows.reduce((sum, row) => sum + row.votes, 0) === expectedBallots
    );
  };
  for (let i = 0; i < WARM_UP; i++) if (!check(await get(agent, port, urlPath))) failures++;
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = process.hrtime.bigint();
    const answer = await get(agent, port, urlPath);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!check(answer)) failures++;
  }
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
    failures,
  };
}

const format = (label: string, m: Measured) =>
  `${label.padEnd(20)} p50 ${m.p50.toFixed(3)} ms   p99 ${m.p99.toFixed(3)} ms   mean ${m.mean.toFixed(3)} ms   failures ${m.failures}`;

async function main(): Promise<number> {
  let embedded: EmbeddedDatabase | null = null;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    log(`starting the embedded PostgreSQL on port ${BENCH_EMBEDDED_PORT} …`);
    embedded = await startEmbeddedDatabase({
      dataDirectory: path.join(repositoryRoot, '.data/bench-postgres'),
      port: BENCH_EMBEDDED_PORT,
    });
    serverUrl = embedded.url;
  }
  const url = databaseUrl(serverUrl, DATABASE);
  let service: ReturnType<typeof spawnService> | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await dropDatabaseIfExists(serverUrl, DATABASE);
    await createDatabaseIfMissing(serverUrl, DATABASE);
    const client = createClient(url);
    await client.connect();
    let roundId: string;
    try {
      await migrate(client, await loadMigrations());
      roundId = randomUUID();
      await insertRound(client, {
        roundId,
        name: 'results read benchmark',
        method: 'plurality',
        minChoices: null,
        maxChoices: null,
        allowRevote: false,
        resultsVisibility: 'live',
        publicBallots: false,
        adminTokenHash: randomBytes(32),
        closesAt: null,
        labels: OPTIONS,
      });
      await fillPluralityRound(client, roundId, {
        from: 0,
        count: SMALL,
        optionCount: OPTIONS.length,
      });
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }

    const port = await freePort();
    service = spawnService(
      'result',
      {
        ...process.env,
        DATABASE_URL: url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      (line) => log(line),
    );
    await waitUntilReady(port);

    log(
      `round ${roundId}: ${SMALL.toLocaleString('en')} ballots; ${WARM_UP} warm-up + ${SAMPLES} timed sequential reads`,
    );
    const small = await measure(agent, port, roundId, SMALL);
    log(format(`${SMALL.toLocaleString('en')} ballots`, small));

    const filling = createClient(url);
    await filling.connect();
    try {
      const started = performance.now();
      await fillPluralityRound(filling, roundId, {
        from: SMALL,
        count: LARGE - SMALL,
        optionCount: OPTIONS.length,
      });
      await filling.query('ANALYZE');
      log(
        `filled to ${LARGE.toLocaleString('en')} ballots in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const stored = await filling.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ballots WHERE round_id = $1',
        [roundId],
      );
      if (stored.rows[0]?.n !== LARGE)
        throw new Error(`expected ${LARGE} ballots, found ${stored.rows[0]?.n}`);
    } finally {
      await filling.end();
    }

    const large = await measure(agent, port, roundId, LARGE);
    log(format(`${LARGE.toLocaleString('en')} ballots`, large));
    log(
      `ratio (1M / 1k): p50 ${(large.p50 / small.p50).toFixed(2)}   p99 ${(large.p99 / small.p99).toFixed(2)}   ` +
        `(goal: p50 ≤ 2 ms, p50 ratio ≤ 1.5)`,
    );
    const failures = small.failures + large.failures;
    if (failures > 0) log(`FAILED: ${failures} requests failed or answered wrong figures`);
    return failures > 0 ? 1 : 0;
  } finally {
    agent.destroy();
    if (service) await stopProcesses([service]);
    await dropDatabaseIfExists(serverUrl, DATABASE).catch(() => undefined);
    await embedded?.stop();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
