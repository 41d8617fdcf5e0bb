/**
 * One process of stream watchers for the fan-out benchmark (bench/stream-fanout.ts forks several,
 * since a process may hold at most 20,000 descriptors here). It opens `clients` Server-Sent Events
 * streams of one round, notes when each first saw the probe option reach each count, and when
 * told the probe votes' acknowledgement times, reports every (client, vote) delay and the CPU it
 * spent itself: a client that falls behind shows in its own figures, not as a slow server.
 */
import net from 'node:net';

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

/**
 * One watcher on a bare TCP socket: the request written by hand and the response read as bytes,
 * searched for the probe's count, with no HTTP client in between (its parser, streams and string
 * decoding cost more CPU per event than the server spends sending it, and the watchers share the
 * machine's two cores with the server).
 */
function watch(task: WatchTask): Promise<Map<number, number>> {
  const url = new URL(task.url);
  // The probe's count, cut from the event's bytes (the option's fields are serialized in schema
  // order): `"label":"probe","votes":N`.
  const marker = Buffer.from(`"label":"${task.probeLabel}","votes":`);
  return new Promise((resolve, reject) => {
    const seen = new Map<number, number>();
    let connected = false;
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      const at = chunk.indexOf(marker);
      if (at < 0) return;
      let count = 0;
      for (let index = at + marker.length; index < chunk.length; index++) {
        const digit = (chunk[index] as number) - 48;
        if (digit < 0 || digit > 9) break;
        count = count * 10 + digit;
      }
      if (!seen.has(count)) seen.set(count, now());
      if (!connected) {
        connected = true;
        resolve(seen);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (!connected) reject(new Error(`${task.url} closed before its first event`));
    });
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
  const watchers: Map<number, number>[] = [];
  // Connected 500 at a time, so neither the server's accept queue nor this process floods.
  for (let start = 0; start < task.clients; start += 500) {
    const step = Math.min(500, task.clients - start);
    watchers.push(...(await Promise.all(Array.from({ length: step }, () => watch(task)))));
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
