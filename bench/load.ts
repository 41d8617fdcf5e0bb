import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  /** POST /vote with unique voter ids (`ballots`), or GET of the URL (`get`). */
  kind: 'ballots' | 'get';
  roundId?: string;
  method?: 'plurality' | 'ranked';
  /** Makes voter ids unique across runs. */
  runLabel: string;
  /**
   * Invited rounds: a file of invitation codes, one per line, each sent once as
   * X-Invitation-Code (instead of a unique X-Voter-Id). It must hold more codes than the run sends.
   */
  codesFile?: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const wrkPath = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((candidate) => existsSync(candidate));

/** wrk where installed (it spends the least CPU, so it measures the server), else autocannon. */
export function loadTool(): 'wrk' | 'autocannon' {
  return wrkPath ? 'wrk' : 'autocannon';
}

export async function drive(spec: LoadSpec): Promise<LoadResult> {
  return wrkPath ? driveWithWrk(wrkPath, spec) : driveWithAutocannon(spec);
}

async function driveWithWrk(wrk: string, spec: LoadSpec): Promise<LoadResult> {
  const script = path.join(
    import.meta.dirname,
    'wrk',
    spec.kind === 'ballots' ? 'ballots.lua' : 'get.lua',
  );
  const threads = Math.min(2, spec.connections);
  const args = [
    `-t${threads}`,
    `-c${spec.connections}`,
    `-d${spec.seconds}s`,
    '--latency',
    '-s',
    script,
    spec.url,
  ];
  if (spec.kind === 'ballots')
    args.push(
      '--',
      spec.roundId ?? '',
      spec.method ?? 'plurality',
      spec.runLabel,
      spec.codesFile ?? '',
      String(threads),
    );
  const { stdout } = await promisify(execFile)(wrk, args, { maxBuffer: 1 << 20 });
  const line = stdout.split('\n').find((row) => row.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const summary = JSON.parse(line.slice('WRK_JSON '.length));
  return {
    tool: 'wrk',
    requests: summary.requests,
    requestsPerSecond: summary.requests / (summary.duration_us / 1e6),
    p50Ms: summary.p50_us / 1000,
    p99Ms: summary.p99_us / 1000,
    errors: summary.non2xx + summary.socket_errors,
  };
}

const rankings = [
  [1, 2, 3, 4, 5],
  [2, 3, 1, 5, 4],
  [3, 1, 2],
  [5, 4, 3, 2, 1],
  [4, 2],
];

async function driveWithAutocannon(spec: LoadSpec): Promise<LoadResult> {
  let sent = 0;
  const codes = spec.codesFile ? (await readFile(spec.codesFile, 'utf8')).split('\n') : null;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    requests: [
      spec.kind === 'get'
        ? { method: 'GET' }
        : {
            method: 'POST',
            setupRequest: (request) => {
              sent++;
              const ballot =
                spec.method === 'ranked'
                  ? { ranking: rankings[sent % 5] }
                  : { option_id: (sent % 3) + 1 };
              return {
                ...request,
                path: '/vote',
                headers: {
                  'content-type': 'application/json',
                  ...(codes
                    ? { 'x-invitation-code': codes[sent - 1] ?? '' }
                    : { 'x-voter-id': `${spec.runLabel}-${sent}` }),
                },
                body: JSON.stringify({ round_id: spec.roundId, ...ballot }),
              };
            },
          },
    ],
  });
  return {
    tool: 'autocannon',
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
