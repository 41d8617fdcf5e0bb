import type { LoadResult } from './load.ts';

export interface Row extends Omit<LoadResult, 'tool' | 'requests'> {
  scenario: string;
  tool: string;
  baseline?: LoadResult;
  target?: string;
  note?: string;
}

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : '—';

/** CPU time each process spent per request of a measured run, in microseconds. */
export interface CpuPerRequest {
  scenario: string;
  microseconds: Record<string, number>;
}

/**
 * Prints rows under a header, columns as wide as their widest cell: the first and the last
 * (names and notes) aligned left, the figures between them right.
 */
export function printColumns(header: string[], lines: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const last = header.length - 1;
  const format = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === last
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

/**
 * One table: req/s, p50, p99, errors, ratio to the baseline; then peak RSS per process and the
 * CPU each process spent per request.
 */
export function printTable(
  rows: Row[],
  peakRssMb: Record<string, number>,
  cpu: CpuPerRequest[],
): void {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', '× baseline', 'target / note'];
  const lines = rows.map((row) => [
    row.scenario,
    fixed(row.requestsPerSecond, 0),
    fixed(row.p50Ms, 2),
    fixed(row.p99Ms, 2),
    String(row.errors),
    row.baseline ? fixed(row.requestsPerSecond / row.baseline.requestsPerSecond, 2) : '',
    [row.target, row.note].filter(Boolean).join('; '),
  ]);
  printColumns(header, lines);
  console.log(
    `\npeak RSS (MB): ${Object.entries(peakRssMb)
      .map(([name, mb]) => `${name} ${mb}`)
      .join(', ')}  (target ≤ 150 per service)`,
  );
  console.log('\nCPU per request (µs), by process:');
  for (const { scenario, microseconds } of cpu) {
    const spent = Object.entries(microseconds);
    const total = spent.reduce((sum, [, value]) => sum + value, 0);
    console.log(
      `  ${scenario.padEnd(30)} ${spent.map(([name, value]) => `${name} ${value}`).join(', ')}  (total ${total})`,
    );
  }
}
