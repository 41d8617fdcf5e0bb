/**
 * `npm run bench`: one run, one machine. Starts the system (embedded PostgreSQL unless
 * DATABASE_URL is set) and a bare node:http baseline, drives both with the same load generator
 * (wrk, else autocannon) and settings in alternation, prints one table and writes it as JSON,
 * with the CPU each process spent per request. Options: --seconds=N per measured run (default
 * 10), --smoke (2 s runs, small fills, for CI), --fanout-clients=N,M… (default 1000,10000,19000), --fill=N
 * ballots for the large results read (default 1,000,000). Last, the metrics port at its worst
 * case (bench/metrics-scrape.ts), then the database path's capacity (bench/capacity; alone with
 * --capacity).
 * The plain vote runs alternate with three vote replicas that trace (nothing sampled, the default
 * sampling and 100%, exporting to an OTLP sink on loopback), for the cost of tracing per vote
 * (docs/performance.md, "Tracing"; ~1 minute more with 10 s runs).
 * Exits 1 when any scenario had an error: a fast run with errors is not a result.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@voting/db';
import { METRICS_PORT_OFFSET } from '@voting/service';
import { DEFAULT_TRACES_SAMPLER_ARG } from '@voting/telemetry';
import { type CapacityRow, measureCapacity } from './capacity/measure.ts';
import { printCapacityTable } from './capacity/report.ts';
import { measureCpu } from './cpu.ts';
import { fillPluralityRound } from './fill-round.ts';
import { prepareInvitedRound } from './invited-round.ts';
import { drive, type LoadResult, type LoadSpec, loadTool } from './load.ts';
import { fillWorstCaseRounds, loopScrapes, measureScrapes } from './metrics-scrape.ts';
import { type CpuPerRequest, printTable, type Row } from './report.ts';
import { streamScenarios } from './stream-scenarios.ts';
import {
  BENCH_DATABASES,
  type BenchDatabase,
  ports,
  startBenchDatabase,
  startBenchSystem,
  TRACED_VOTES,
  type TracedVote,
} from './system.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    smoke: { type: 'boolean', default: false },
    'fanout-clients': { type: 'string' },
    fill: { type: 'string' },
    capacity: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const seconds = smoke ? 2 : Number(values.seconds);
// The stream's watchers per row: 1,000 and 10,000 (the targets), and 19,000, about all one result
// replica holds with the 20,000 descriptors a process may open here.
const fanoutClients = (values['fanout-clients'] ?? (smoke ? '100' : '1000,10000,19000'))
  .split(',')
  .map(Number);
const largeFill = Number(values.fill ?? (smoke ? 20_000 : 1_000_000));
const CONNECTIONS = 50;
// Invitation codes issued per second of an invited run: above the 4,000–11,000 votes/s wrk gets
// from this machine (11,000 on a quiet one), so no run sends a code twice (each is an error). A
// round takes at most 100,000 invitations, so an invited run lasts at most 6 s.
const CODES_PER_SECOND = 16_000;
const MAX_INVITATIONS = 100_000;
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

const urlOf = (port: number) => `http://127.0.0.1:${port}`;
const tracedVotes = Object.entries(TRACED_VOTES) as [
  TracedVote,
  (typeof TRACED_VOTES)[TracedVote],
][];
const TRACED_LABELS: Record<TracedVote, string> = {
  'vote-traced-0': 'tracing on, nothing sampled (0%)',
  'vote-traced-default': `tracing on, default sampling (${DEFAULT_TRACES_SAMPLER_ARG * 100}%)`,
  'vote-traced-100': 'tracing on, 100% sampled',
};

type TracingSetting = 'off' | TracedVote;

/**
 * The cost of tracing on the vote path: for each setting, its runs and the CPU every process
 * spent per vote in them (the vote replica of that setting, PostgreSQL, the worker), and the
 * difference to tracing off in µs per vote, which is what the default sampling is chosen from.
 */
class TracingCost {
  readonly #runs: Record<TracingSetting, { result: LoadResult; cpu: number; vote: number }[]> = {
    off: [],
    'vote-traced-0': [],
    'vote-traced-default': [],
    'vote-traced-100': [],
  };

  add(setting: TracingSetting, result: LoadResult, cpu: CpuPerRequest | undefined): void {
    const spent = cpu?.microseconds ?? {};
    const vote = spent[setting === 'off' ? 'vote' : setting] ?? 0;
    const others = (spent.postgres ?? 0) + (spent.worker ?? 0) + (spent.result ?? 0);
    this.#runs[setting].push({ result, cpu: vote + others, vote });
  }

  #mean(setting: TracingSetting, pick: (run: { cpu: number; vote: number }) => number): number {
    const runs = this.#runs[setting];
    return runs.reduce((sum, run) => sum + pick(run), 0) / Math.max(1, runs.length);
  }

  summary() {
    const off = { all: this.#mean('off', (r) => r.cpu), vote: this.#mean('off', (r) => r.vote) };
    const setting = (name: TracingSetting) => {
      const all = this.#mean(name, (r) => r.cpu);
      const vote = this.#mean(name, (r) => r.vote);
      return {
        requestsPerSecond: mean(this.#runs[name].map((run) => run.result)).requestsPerSecond,
        cpuMicrosecondsPerVote: Math.round(all),
        voteProcessMicrosecondsPerVote: Math.round(vote),
        extraMicrosecondsPerVote: Math.round(all - off.all),
        extraVoteProcessMicrosecondsPerVote: Math.round(vote - off.vote),
      };
    };
    return {
      off: setting('off'),
      sampledNone: setting('vote-traced-0'),
      sampledDefault: setting('vote-traced-default'),
      sampled100: setting('vote-traced-100'),
    };
  }

  rows(baseline: LoadResult): Row[] {
    const summary = this.summary();
    const off = mean(this.#runs.off.map((run) => run.result));
    return (
      [
        ['vote-traced-0', summary.sampledNone],
        ['vote-traced-default', summary.sampledDefault],
        ['vote-traced-100', summary.sampled100],
      ] as const
    ).map(([name, cost]) => ({
      scenario: `POST /vote plurality, ${TRACED_LABELS[name]}`,
      ...mean(this.#runs[name].map((run) => run.result)),
      baseline,
      note:
        `${cost.extraMicrosecondsPerVote >= 0 ? '+' : ''}${cost.extraMicrosecondsPerVote} µs CPU/vote ` +
        `(vote process ${cost.extraVoteProcessMicrosecondsPerVote >= 0 ? '+' : ''}${cost.extraVoteProcessMicrosecondsPerVote}) ` +
        `vs off (${summary.off.cpuMicrosecondsPerVote} µs); ` +
        `${(cost.requestsPerSecond / off.requestsPerSecond).toFixed(2)}× the untraced rate`,
    }));
  }
}

type RunSpec = Pick<LoadSpec, 'kind' | 'url' | 'runLabel'> & Partial<LoadSpec>;
type Run = (spec: RunSpec) => Promise<LoadResult>;
type Measured = (scenario: string, spec: RunSpec) => Promise<LoadResult>;

const mean = (results: LoadResult[]): LoadResult => ({
  tool: results[0]?.tool ?? loadTool(),
  requests: results.reduce((sum, r) => sum + r.requests, 0),
  requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0) / results.length,
  p50Ms: results.reduce((sum, r) => sum + r.p50Ms, 0) / results.length,
  p99Ms: results.reduce((sum, r) => sum + r.p99Ms, 0) / results.length,
  errors: results.reduce((sum, r) => sum + r.errors, 0),
});

// Capacity runs are many (18), so each is shorter than a load run; the writers' rate settles
// within a second.
const capacitySeconds = smoke ? 0.5 : Math.min(5, seconds);

/** The database path's capacity table (bench/capacity), on a database of its own. */
async function capacity(database: BenchDatabase & { urlOf: (name: string) => string }) {
  const rows = await measureCapacity({
    databaseUrl: database.urlOf(BENCH_DATABASES.capacity),
    postgresPids: database.postgresPids,
    seconds: capacitySeconds,
    manyRounds: smoke ? 50 : 1000,
    drainRows: smoke ? 5000 : 200_000,
    log,
  });
  printCapacityTable(rows);
  return rows;
}

const failures = (rows: { scenario: string; errors: number }[]) => {
  const failed = rows.filter((row) => row.errors > 0);
  for (const row of failed) log(`bench: FAILED: "${row.scenario}" had ${row.errors} errors`);
  return failed.length;
};

/** `--capacity`: the database path alone, without the services. */
async function capacityOnly(): Promise<number> {
  log(`bench: capacity of the database path, ${capacitySeconds} s per run`);
  const database = await startBenchDatabase([BENCH_DATABASES.capacity]);
  try {
    return failures(await capacity(database)) > 0 ? 1 : 0;
  } finally {
    await database.stop();
  }
}

async function main(): Promise<number> {
  if (values.capacity) return capacityOnly();
  log(
    `bench: ${loadTool()}, ${CONNECTIONS} connections, ${seconds} s per run${smoke ? ' (smoke)' : ''}`,
  );
  const system = await startBenchSystem(log);
  const rows: Row[] = [];
  const cpu: CpuPerRequest[] = [];
  try {
    const plurality = await createRound({ name: 'bench plurality', options: ['A', 'B', 'C'] });
    const ranked = await createRound({
      name: 'bench ranked',
      method: 'ranked',
      options: ['A', 'B', 'C', 'D', 'E'],
    });
    const run: Run = (spec) => drive({ connections: CONNECTIONS, seconds, ...spec });
    // Warm-up runs (JIT, pools, caches) are not reported.
    const warm: Run = (spec) => run({ seconds: Math.min(2, seconds), ...spec });
    /** A measured run, with the CPU each process spent on it. */
    const measured: Measured = async (scenario, spec) => {
      const { result, cpuSeconds } = await measureCpu(system.cpuGroups, () => run(spec));
      const requests = Math.max(1, result.requests);
      cpu.push({
        scenario,
        microseconds: Object.fromEntries(
          Object.entries(cpuSeconds)
            .filter(([, spent]) => spent > 0)
            .map(([name, spent]) => [name, Math.round((spent * 1e6) / requests)]),
        ),
      });
      return result;
    };

    const baselineUrl = `http://127.0.0.1:${ports.baseline}`;
    const ballots = { kind: 'ballots', roundId: plurality } as const;
    // Invited ballots: a round (and a file of fresh codes) per run, each code sent once.
    const invited = async (label: string, wantedSeconds: number) => {
      const runSeconds = Math.min(wantedSeconds, Math.floor(MAX_INVITATIONS / CODES_PER_SECOND));
      const round = await prepareInvitedRound(voteUrl, label, runSeconds * CODES_PER_SECOND);
      return {
        kind: 'ballots',
        url: voteUrl,
        roundId: round.roundId,
        codesFile: round.codesFile,
        runLabel: label,
        seconds: runSeconds,
      } as const;
    };
    await warm({ ...ballots, url: baselineUrl, runLabel: 'warm-baseline' });
    await warm({ ...ballots, url: voteUrl, runLabel: 'warm-vote' });
    for (const [name, traced] of tracedVotes)
      await warm({ ...ballots, url: urlOf(traced.port), runLabel: `warm-${name}` });
    await warm(await invited('warm-invited', Math.min(2, seconds)));

    // Baseline, votes and invited votes in alternation, so drift of the machine hits all alike.
    const baselineRuns: LoadResult[] = [];
    const voteRuns: LoadResult[] = [];
    const invitedRuns: LoadResult[] = [];
    // The vote path with tracing off (the plain vote runs), at 100% and at the default sampling,
    // each pass side by side: the CPU each spent per vote, all processes together.
    const tracing = new TracingCost();
    for (let pass = 0; pass < 2; pass++) {
      const label = (name: string) => `${name}${pass === 0 ? '' : ' (2nd run)'}`;
      baselineRuns.push(
        await measured(label('baseline'), { ...ballots, url: baselineUrl, runLabel: `b-${pass}` }),
      );
      voteRuns.push(
        await measured(label('POST /vote plurality'), {
          ...ballots,
          url: voteUrl,
          runLabel: `vote-${pass}`,
        }),
      );
      tracing.add('off', voteRuns[voteRuns.length - 1] as LoadResult, cpu[cpu.length - 1]);
      for (const [name, traced] of tracedVotes) {
        const run = await measured(label(`POST /vote, ${TRACED_LABELS[name]}`), {
          ...ballots,
          url: urlOf(traced.port),
          runLabel: `${name}-${pass}`,
        });
        tracing.add(name, run, cpu[cpu.length - 1]);
      }
      invitedRuns.push(
        await measured(
          label('POST /vote plurality, invited'),
          await invited(`invited-${pass}`, seconds),
        ),
      );
    }
    const baseline = mean(baselineRuns);
    rows.push({ scenario: 'baseline: node:http parse JSON, answer {"ok":true}', ...baseline });
    rows.push({
      scenario: 'POST /vote plurality, unique voter ids',
      ...mean(voteRuns),
      baseline,
      target: 'req/s ≥ 0.5× baseline, p99 ≤ 10 ms',
    });
    const anyone = mean(voteRuns);
    const invitedMean = mean(invitedRuns);
    rows.push({
      scenario: 'POST /vote plurality, invited round (a code each)',
      ...invitedMean,
      baseline,
      target: 'req/s ≥ 0.9× the unique-voter-id row',
      note: `${(invitedMean.requestsPerSecond / anyone.requestsPerSecond).toFixed(2)}× it`,
    });

    rows.push(...tracing.rows(baseline));
    const exported = system.sink.received();
    log(
      `bench: tracing: ${exported.exports} exports, ${(exported.bytes / 1e6).toFixed(1)} MB of spans received by the sink`,
    );

    const rankedSpec = {
      kind: 'ballots',
      url: voteUrl,
      roundId: ranked,
      method: 'ranked',
    } as const;
    await warm({ ...rankedSpec, runLabel: 'warm-ranked' });
    rows.push({
      scenario: 'POST /vote ranked, 5 options',
      ...(await measured('POST /vote ranked', { ...rankedSpec, runLabel: 'ranked' })),
      baseline,
    });

    rows.push(...(await readScenarios(system.databaseUrl, { run, warm, measured })));

    rows.push(
      ...(await streamScenarios({
        voteUrl,
        resultUrl,
        resultPid: system.processes.result.pid ?? 0,
        createRound,
        clientCounts: fanoutClients,
        votes: smoke ? 5 : 20,
        loadSeconds: smoke ? 2 : seconds,
      })),
    );

    // Peak RSS of the scenarios above, before the metrics scenario's 200 large rounds sit in the
    // vote service's caches; that one's own peak is in its row's note.
    const rss = await system.peakRssMb();
    rows.push(...(await metricsScenarios(ballots, measured)));
    const lastRow = rows[rows.length - 1];
    if (lastRow) lastRow.note += `; vote peak RSS ${(await system.peakRssMb()).vote} MB`;
    const stored = await countBallots(system.databaseUrl, plurality);
    log(
      `bench: ${stored.toLocaleString('en')} plurality ballots stored, one per acknowledged vote`,
    );
    printTable(rows, rss, cpu);
    const capacityRows: CapacityRow[] = await capacity(system.database);
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
      cpuMicrosecondsPerRequest: cpu,
      tracing: tracing.summary(),
      capacity: capacityRows,
    };
    await writeFile(path.join(outDirectory, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    return failures([...rows, ...capacityRows]) > 0 ? 1 : 0;
  } finally {
    await system.stop();
  }
}

/**
 * The vote service's metrics port at the worst case the API allows (bench/metrics-scrape.ts):
 * the size and time of a scrape (each a fresh rendering), then votes while 4 clients loop on
 * scrapes (before the metrics were bounded, that cut votes from ~1,500/s to ~50/s). Runs last:
 * its 200 rounds change nothing the other scenarios measure.
 */
async function metricsScenarios(
  ballots: { kind: 'ballots'; roundId: string },
  measured: Measured,
): Promise<Row[]> {
  log('bench: filling the worst case of /metrics (200 rounds × 100 options × 200-char labels)');
  await fillWorstCaseRounds(voteUrl);
  const metricsUrl = `http://127.0.0.1:${ports.vote + METRICS_PORT_OFFSET}/metrics`;
  const scrapes = await measureScrapes(metricsUrl, smoke ? 5 : 30);
  const rows: Row[] = [
    {
      scenario: `GET /metrics (vote), worst case, ${scrapes.scrapes} scrapes 1 s apart`,
      tool: 'own client',
      requestsPerSecond: Number.NaN,
      p50Ms: scrapes.p50Ms,
      p99Ms: scrapes.p99Ms,
      errors: scrapes.errors,
      target: '≤ 256 KB, ≤ 20 ms',
      note: `${(scrapes.bytes / 1024).toFixed(1)} KB (${(scrapes.wireBytes / 1024).toFixed(1)} KB gzipped)`,
    },
  ];
  let stopScraping = () => {};
  const stop = new Promise<void>((resolve) => {
    stopScraping = resolve;
  });
  const scraping = loopScrapes(metricsUrl, 4, stop);
  const votes = await measured('POST /vote while 4 clients scrape /metrics', {
    ...ballots,
    url: voteUrl,
    runLabel: 'vote-scraped',
  }).finally(stopScraping);
  const scraped = await scraping;
  rows.push({
    scenario: 'POST /vote plurality while 4 clients loop on /metrics',
    ...votes,
    errors: votes.errors + scraped.errors,
    note: `${Math.round(scraped.scrapes / seconds)} scrapes/s`,
  });
  return rows;
}

/**
 * Results reads of a round with 1,000 ballots and of one with `largeFill`, filled in bulk: at one
 * connection for the latency a reader sees, and at 50 for throughput. Under 50 connections a
 * saturated machine makes p50 the time 50 requests queue for the CPU (Little's law: about 50 /
 * req/s), the baseline's included, so the latency targets are read off the 1-connection rows.
 */
async function readScenarios(
  url: string,
  { run, warm, measured }: { run: Run; warm: Run; measured: Measured },
): Promise<Row[]> {
  const small = await createRound({ name: 'bench reads 1k', options: ['A', 'B', 'C'] });
  const large = await createRound({ name: 'bench reads large', options: ['A', 'B', 'C'] });
  log(`bench: filling a round with ${largeFill.toLocaleString('en')} ballots`);
  const db = createClient(url);
  await db.connect();
  await fillPluralityRound(db, small, { from: 0, count: 1000, optionCount: 3 });
  await fillPluralityRound(db, large, { from: 0, count: largeFill, optionCount: 3 });
  await db.query('ANALYZE ballots');
  await db.end();
  const resultsOf = (round: string) => `${resultUrl}/rounds/${round}/results`;
  await expectBallots(resultsOf(large), largeFill);
  await warm({ kind: 'get', url: resultsOf(small), runLabel: 'warm-read' });
  await warm({ kind: 'get', url: resultsOf(large), runLabel: 'warm-read' });

  const sizes = [
    { label: '1,000', round: small },
    { label: largeFill.toLocaleString('en'), round: large },
  ];
  const rows: Row[] = [];
  const oneConnection: LoadResult[] = [];
  for (const size of sizes) {
    const read = await run({
      kind: 'get',
      url: resultsOf(size.round),
      runLabel: 'read',
      connections: 1,
    });
    oneConnection.push(read);
    rows.push({ scenario: `GET results, ${size.label} ballots, 1 connection`, ...read });
  }
  const [smallRead, largeRead] = oneConnection;
  const lastRow = rows[rows.length - 1];
  if (lastRow && smallRead && largeRead) {
    lastRow.target = 'p50 ≤ 2 ms, ≤ 1.5× the 1,000-ballot p50';
    lastRow.note = `p50 ratio to 1,000: ${(largeRead.p50Ms / smallRead.p50Ms).toFixed(2)}`;
  }
  for (const size of sizes) {
    rows.push({
      scenario: `GET results, ${size.label} ballots, ${CONNECTIONS} connections`,
      ...(await measured(`GET results, ${size.label}`, {
        kind: 'get',
        url: resultsOf(size.round),
        runLabel: 'read',
      })),
    });
  }
  return rows;
}

/** The large round must read back exactly: a fast wrong answer is not a result. */
async function expectBallots(url: string, expected: number): Promise<void> {
  const rows = (await (await fetch(url)).json()) as { votes: number }[];
  const counted = rows.reduce((sum, row) => sum + row.votes, 0);
  if (counted !== expected) throw new Error(`${url} counted ${counted} ballots, not ${expected}`);
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
