import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU time spent by processes, read from /proc: what each part of the system costs per request.
 * On a machine whose cores the load generator, the services and PostgreSQL all share, throughput
 * is set by the sum of these costs, so they say why a scenario reaches the rate it does.
 */

// /proc/<pid>/stat counts in clock ticks; Linux reports USER_HZ = 100 on every common build.
const TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds of one process so far, with those of its children that ended and
 * were reaped (PostgreSQL's backends that closed, counted by the postmaster); 0 once it is gone.
 */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name (field 2) may hold spaces; count fields from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime (fields 14–17 of proc(5)).
  const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
  return ticks / TICKS_PER_SECOND;
}

/** A process and all its descendants (PostgreSQL's postmaster and its backends, say). */
export async function processTree(rootPid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index++) {
    for (const [pid, ppid] of parents) if (ppid === tree[index]) tree.push(pid);
  }
  return tree;
}

export type CpuGroups = Record<string, () => Promise<number[]>>;

/** CPU seconds of each named group of processes during `work`, with the work's own result. */
export async function measureCpu<T>(
  groups: CpuGroups,
  work: () => Promise<T>,
): Promise<{ result: T; cpuSeconds: Record<string, number> }> {
  const total = async () => {
    const sums: Record<string, number> = {};
    for (const [name, pids] of Object.entries(groups)) {
      const seconds = await Promise.all((await pids()).map(cpuSeconds));
      sums[name] = seconds.reduce((sum, value) => sum + value, 0);
    }
    return sums;
  };
  const before = await total();
  const result = await work();
  const after = await total();
  const cpu = Object.fromEntries(
    Object.keys(groups).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)]),
  );
  return { result, cpuSeconds: cpu };
}
