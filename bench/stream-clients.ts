/**
 * One process of stream watchers for the fan-out benchmark (bench/stream-fanout.ts forks several,
 * since a process may hold at most 20,000 descriptors here). It opens `clients` Server-Sent Events
 * streams of one round, notes when each first saw the probe option reach each count, and when
 * told the probe votes' acknowledgement times, reports every (client, vote) delay and the CPU it
 * spent itself: a client that falls behind shows in its own figures, not as a slow server.
 */
import http from 'node:http';

export interface WatchTask {
  url: string;
  clients: number;
  /** The label of the option only probe votes go to: its count says which probes arrived. */
  probeLabel: string;
}

export type WatchMessage = { acks: number[] } | { stop: true };

export interface WatchReport {
  /** Milliseconds from each probe vote's acknowledgement to each client seeing it. */
  delays: number[];
  /** (client, vote) pairs that never arrived. */
  missing: number;
  cpuMs: number;
}

/** Wall-clock milliseconds, sub-millisecond, comparable between processes of one machine. */
export const now = () => performance.timeOrigin + performance.now();

function watch(task: WatchTask, agent: http.Agent): Promise<Map<number, number>> {
  // The probe's count, cut from the event's text (the option's fields are serialized in schema
  // order): parsing every copy of every event as JSON would cost this process more than the
  // server spends sending them.
  const pattern = new RegExp(`"label":"${task.probeLabel}","votes":(\\d+)`);
  return new Promise((resolve, reject) => {
    const seen = new Map<number, number>();
    const request = http.get(task.url, { agent }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`${task.url} answered ${response.statusCode}`));
        return;
      }
      response.setEncoding('utf8');
      let connected = false;
      response.on('data', (chunk: string) => {
        const count = pattern.exec(chunk)?.[1];
        if (count === undefined) return;
        if (!seen.has(Number(count))) seen.set(Number(count), now());
        if (!connected) {
          connected = true;
          resolve(seen);
        }
      });
    });
    request.on('error', reject);
  });
}

/** When a client first saw a count of at least `probe`. */
function arrival(seen: Map<number, number>, probe: number): number | undefined {
  let first: number | undefined;
  for (const [count, at] of seen)
    if (count >= probe && (first === undefined || at < first)) first = at;
  return first;
}

async function main(task: WatchTask): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: task.clients + 10 });
  const watchers: Map<number, number>[] = [];
  // Connected 500 at a time, so neither the server's accept queue nor this process floods.
  for (let start = 0; start < task.clients; start += 500) {
    const step = Math.min(500, task.clients - start);
    watchers.push(...(await Promise.all(Array.from({ length: step }, () => watch(task, agent)))));
  }
  const cpuBefore = process.cpuUsage();
  process.send?.('connected');
  process.on('message', (message: WatchMessage) => {
    if (!('acks' in message)) process.exit(0);
    else {
      const cpu = process.cpuUsage(cpuBefore);
      const delays: number[] = [];
      let missing = 0;
      for (const seen of watchers) {
        message.acks.forEach((ackAt, index) => {
          const at = arrival(seen, index + 1);
          if (at === undefined) missing++;
          else delays.push(Math.max(0, at - ackAt));
        });
      }
      const report: WatchReport = { delays, missing, cpuMs: (cpu.user + cpu.system) / 1000 };
      process.send?.(report);
    }
  });
}

process.once('message', (task: WatchTask) => {
  main(task).catch((error: unknown) => {
    process.stderr.write(`stream clients: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  });
});
