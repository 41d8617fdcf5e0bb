import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cpuSeconds } from './cpu.ts';
import { now, type WatchMessage, type WatchReport, type WatchTask } from './stream-clients.ts';

export interface FanoutResult {
  clients: number;
  votes: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU the watching processes spent while the probes ran, ms per event delivered. */
  clientCpuMsPerEvent: number;
  /** The result service's resident memory per connected client, KB. */
  serverKbPerClient: number;
  /** CPU the result service spent while the probes ran, µs per event delivered to one client. */
  serverCpuMicrosecondsPerEvent: number;
}

export const PROBE_LABEL = 'probe';
// Each client process stays well under the 20,000 descriptors a process may open here.
const CLIENTS_PER_PROCESS = 5000;
const clientsPath = path.join(import.meta.dirname, 'stream-clients.ts');

async function residentKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

/**
 * Connects `clients` stream watchers to one round, spread over processes, then casts `votes`
 * probe votes one after another (each to the round's probe option) and measures, for every
 * client and vote, the time from the vote's acknowledgement to the client receiving a result
 * that includes it. Other load may run on the round meanwhile (its votes go to other options):
 * then the figures say how far behind the live results run under that load.
 */
export async function measureStreamFanout(options: {
  voteUrl: string;
  resultUrl: string;
  /** A round whose options include one labelled PROBE_LABEL, which only the probes vote for. */
  roundId: string;
  probeOptionId: number;
  clients: number;
  votes: number;
  pauseMs: number;
  resultPid: number;
}): Promise<FanoutResult> {
  const rssBefore = await residentKb(options.resultPid);
  const processes = Math.ceil(options.clients / CLIENTS_PER_PROCESS);
  const children = Array.from({ length: processes }, () =>
    fork(clientsPath, {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const next = <T>(child: (typeof children)[number]) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (message) => resolve(message as T));
      child.once('exit', (code) =>
        reject(new Error(`a stream client process exited with ${code}`)),
      );
    });
  try {
    const connected = children.map((child) => next<'connected'>(child));
    children.forEach((child, index) => {
      const share = Math.min(CLIENTS_PER_PROCESS, options.clients - index * CLIENTS_PER_PROCESS);
      child.send({
        url: `${options.resultUrl}/rounds/${options.roundId}/results/stream`,
        clients: share,
        probeLabel: PROBE_LABEL,
      } satisfies WatchTask);
    });
    await Promise.all(connected);
    const serverKbPerClient = ((await residentKb(options.resultPid)) - rssBefore) / options.clients;

    const serverCpuBefore = await cpuSeconds(options.resultPid);
    const acks: number[] = [];
    let errors = 0;
    for (let n = 1; n <= options.votes; n++) {
      const response = await fetch(`${options.voteUrl}/vote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ round_id: options.roundId, option_id: options.probeOptionId }),
      });
      acks.push(now());
      if (!response.ok) errors++;
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
    // The last probe's event has had a second and more to arrive everywhere.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const serverCpu = (await cpuSeconds(options.resultPid)) - serverCpuBefore;
    const reported = children.map((child) => next<WatchReport>(child));
    for (const child of children) child.send({ acks } satisfies WatchMessage);
    const reports = await Promise.all(reported);
    const delays = reports.flatMap((report) => report.delays).sort((a, b) => a - b);
    const at = (q: number) =>
      delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? Number.NaN;
    const cpuMs = reports.reduce((sum, report) => sum + report.cpuMs, 0);
    return {
      clients: options.clients,
      votes: options.votes,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      errors: errors + reports.reduce((sum, report) => sum + report.missing, 0),
      clientCpuMsPerEvent: cpuMs / Math.max(1, delays.length),
      serverKbPerClient,
      serverCpuMicrosecondsPerEvent: (serverCpu * 1e6) / Math.max(1, delays.length),
    };
  } finally {
    for (const child of children) {
      if (child.exitCode === null && child.connected)
        child.send({ stop: true } satisfies WatchMessage);
    }
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null,
      ),
    );
  }
}
