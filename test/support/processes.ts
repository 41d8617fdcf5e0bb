import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import {
  isRunning,
  type ServiceName,
  spawnService,
  waitUntilReady,
} from '../../scripts/service-processes.ts';

/** Whether a loopback port can be bound now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Ports this test process handed out, so two of its services never get the same one, nor one
// another's metrics port (PORT + 1000).
const handedOut = new Set<number>();

/**
 * A free loopback port for a service, with PORT + 1000 (its default metrics port) free too, both
 * below the kernel's ephemeral range (32768–60999): a port the kernel picked for us was also one
 * it could give the next outgoing connection — every service's database connections — before
 * the service bound it, which made a worker fail to start with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 11_000);
    if ([port, port + 1000, port - 1000].some((taken) => handedOut.has(taken))) continue;
    if ((await bindable(port)) && (await bindable(port + 1000))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free pair of loopback ports between 20000 and 32000');
}

export interface ServiceProcess {
  name: ServiceName;
  port: number;
  child: ChildProcess;
  /** The last lines the service printed, for a failure message. */
  output: string[];
  /** Resolves once the process has exited (at once if it already has). */
  exited: Promise<void>;
}

/**
 * Starts one service from source as a child process of the test (`node --import tsx
 * services/<name>/src/main.ts`), on a free loopback port, and waits until its /readyz answers.
 */
export async function startServiceProcess(
  name: ServiceName,
  env: Record<string, string>,
  { waitReady = true }: { waitReady?: boolean } = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawnService(
    name,
    // A clean environment: nothing of the test runner's leaks into the service's config.
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // No per-client rate limits: every request of a test comes from 127.0.0.1, and the fault
      // tests send thousands (the exactness test ~3,300 ballots, the shutdown test 50 lanes at
      // once). The worker has no limits and ignores the variable.
      RATE_LIMITS: 'off',
      ...env,
      PORT: String(port),
    },
    (line) => {
      output.push(line);
      if (output.length > 50) output.shift();
    },
  );
  const exited = new Promise<void>((resolve) => {
    if (!isRunning(child)) resolve();
    else child.once('exit', () => resolve());
  });
  const service = { name, port, child, output, exited };
  if (waitReady) {
    await waitUntilReady(port, 60_000, () => isRunning(child)).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.join('\n')}`);
    });
    if (!isRunning(child)) throw new Error(`${name} exited during start-up:\n${output.join('\n')}`);
  }
  return service;
}

/** Sends `signal` to this one process (by its pid) and waits for it to exit. */
export async function killService(
  service: ServiceProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (isRunning(service.child) && service.child.pid !== undefined)
    process.kill(service.child.pid, signal);
  await service.exited;
}

/** Stops every process still running (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopServices(services: ServiceProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    services.map(async (service) => {
      if (!isRunning(service.child)) return;
      const timer = setTimeout(() => {
        if (isRunning(service.child) && service.child.pid !== undefined)
          process.kill(service.child.pid, 'SIGKILL');
      }, graceMs);
      await killService(service, 'SIGTERM');
      clearTimeout(timer);
    }),
  );
}

/** The pids whose parent is `pid` (from /proc; Linux only). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

/**
 * Freezes a PostgreSQL server as a hung machine would: SIGSTOP to its postmaster first (so it
 * forks no new backend), then to every process it started (backends, checkpointer, WAL writer…).
 * Returns the thaw, which continues all of them; call it in a `finally`, or the server stays
 * frozen after the test.
 */
export function freezeProcessTree(rootPid: number): () => void {
  process.kill(rootPid, 'SIGSTOP');
  const frozen = [rootPid];
  for (const pid of childPids(rootPid)) {
    try {
      process.kill(pid, 'SIGSTOP');
      frozen.push(pid);
    } catch {
      // exited between the listing and the signal
    }
  }
  let thawed = false;
  return () => {
    if (thawed) return;
    thawed = true;
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
  };
}
