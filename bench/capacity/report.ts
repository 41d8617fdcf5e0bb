import type { CapacityRow } from './measure.ts';

const fixed = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en', { maximumFractionDigits: digits }) : '—';

/** The capacity table: per scenario and process count, throughput, its share per process, PostgreSQL's CPU. */
export function printCapacityTable(rows: CapacityRow[]): void {
  const header = [
    'database path (no HTTP)',
    'procs',
    'per s',
    'per proc',
    'PG µs each',
    'errors',
    'note',
  ];
  const lines = rows.map((row) => [
    row.scenario,
    String(row.processes),
    fixed(row.perSecond),
    fixed(row.perProcess),
    fixed(row.postgresMicroseconds, 1),
    String(row.errors),
    row.note ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === 6
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(`\n${format(header)}`);
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
  console.log(
    '(cast, revote and drain count ballots; the read row counts reads. "PG µs each": CPU of all of\n' +
      " PostgreSQL's processes during the run over that count, when PostgreSQL is the embedded one.)",
  );
}
