import { printColumns } from '../report.ts';
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
  console.log('');
  printColumns(header, lines);
  console.log(
    '(cast, revote and drain count ballots; the read row counts reads. "PG µs each": CPU of all of\n' +
      " PostgreSQL's processes during the run over that count, when PostgreSQL is the embedded one.)",
  );
}
