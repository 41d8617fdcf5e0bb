import { h } from './dom.ts';

/** Saves what the page holds as a file, through a temporary link (no server round trip). */
export function saveBlob(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: file, class: 'visually-hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A CSV file (RFC 4180: CRLF row ends; a cell holding a comma, quote, CR or LF quoted, its quotes
 * doubled). It starts with a UTF-8 byte order mark because Excel, where organizers open their
 * lists, reads a file without one in the machine's legacy code page and garbles accented names.
 */
export function csvBlob(rows: readonly (readonly string[])[]): Blob {
  const text = rows.map((row) => row.map(csvCell).join(',')).join('\r\n');
  return new Blob([`\uFEFF${text}\r\n`], { type: 'text/csv;charset=utf-8' });
}

/**
 * One cell. A cell that a spreadsheet would run as a formula (= + - @, tab, CR at its start) gets
 * a leading apostrophe: the labels are typed or pasted by people, and a pasted list is exactly
 * where `=HYPERLINK(…)` arrives unnoticed.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
