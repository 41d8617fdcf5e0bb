import { drive, type LoadResult } from './load.ts';
import type { Row } from './report.ts';
import { measureStreamFanout, PROBE_LABEL } from './stream-fanout.ts';

export interface StreamScenarioOptions {
  voteUrl: string;
  resultUrl: string;
  resultPid: number;
  createRound: (body: object) => Promise<string>;
  /** Watchers per measured row, e.g. 1,000, 10,000 and as many as one replica holds. */
  clientCounts: number[];
  votes: number;
  /** Seconds of the run under a sustained load of votes. */
  loadSeconds: number;
}

// The targets of the capacity issue: a vote's event at every client of one replica.
const targetFor = (clients: number) =>
  clients <= 1000 ? 'p99 ≤ 50 ms' : clients <= 10_000 ? 'p99 ≤ 150 ms' : undefined;

/**
 * The live stream: from a probe vote's acknowledgement to its event at every watcher of one
 * result replica, for each client count; then at the first count while wrk casts votes into the
 * same round as fast as it can (other options), which says how far behind the live figures run
 * under a sustained load.
 */
export async function streamScenarios(options: StreamScenarioOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const round = () =>
    options.createRound({ name: 'bench fan-out', options: ['A', 'B', 'C', PROBE_LABEL] });
  const measure = async (clients: number, votes: number, roundId: string) =>
    measureStreamFanout({
      ...options,
      roundId,
      probeOptionId: 4,
      clients,
      votes,
      // Each probe after the last one's event has reached everyone (~20 µs a client here), so
      // the figures are one event's way to every client, not a queue of them.
      pauseMs: Math.max(150, clients / 20),
    });
  for (const clients of options.clientCounts) {
    const fanout = await measure(clients, options.votes, await round());
    rows.push({
      scenario: `stream: vote ack → event, ${clients.toLocaleString('en')} clients × ${fanout.votes} votes`,
      tool: 'own client',
      requestsPerSecond: Number.NaN,
      p50Ms: fanout.p50Ms,
      p99Ms: fanout.p99Ms,
      errors: fanout.errors,
      target: targetFor(clients),
      note:
        `result: ${fanout.serverCpuMicrosecondsPerEvent.toFixed(1)} µs CPU a client and event, ` +
        `${fanout.serverKbPerClient.toFixed(1)} KB RSS a client; ` +
        `watchers: ${(fanout.clientCpuMsPerEvent * 1000).toFixed(1)} µs CPU a client and event`,
    });
  }
  const clients = options.clientCounts[0] ?? 1000;
  const loaded = await round();
  let load: LoadResult | undefined;
  const votes = Math.max(3, Math.floor((options.loadSeconds * 1000) / 300));
  const loading = drive({
    kind: 'ballots',
    url: options.voteUrl,
    roundId: loaded,
    runLabel: 'stream-load',
    connections: 50,
    seconds: options.loadSeconds + 10,
  }).then((result) => {
    load = result;
  });
  // The watchers connect while the load runs, so the probes land in the middle of it.
  const fanout = await measure(clients, votes, loaded);
  await loading;
  rows.push({
    scenario: `stream under load: ${clients.toLocaleString('en')} clients, wrk casting into the round`,
    tool: 'own client + wrk',
    requestsPerSecond: load?.requestsPerSecond ?? Number.NaN,
    p50Ms: fanout.p50Ms,
    p99Ms: fanout.p99Ms,
    errors: fanout.errors + (load?.errors ?? 0),
    note: "req/s: the load's votes; p50/p99: probe ack → event, how far behind the live figures run",
  });
  return rows;
}
