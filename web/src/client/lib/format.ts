/**
 * Numbers, shares, dates and lists as the chosen language writes them (Intl): one home, so a
 * figure reads the same on every page.
 */
import { language } from './i18n.ts';

export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(language(), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso));
}

/** A share of 1 as a percentage: one decimal below 10 %, where it tells figures apart. */
export function percent(share: number): string {
  const digits = share > 0 && share < 0.1 ? 1 : 0;
  return new Intl.NumberFormat(language(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}

/** "A, B and C" (or "A, B und C"), with each item as the caller made it (a <bdi>, say). */
export function formatList<T extends string | Node>(items: readonly T[]): (string | T)[] {
  const placeholders = items.map((_, index) => `\uE000${index}\uE000`);
  const text = new Intl.ListFormat(language(), { type: 'conjunction' }).format(placeholders);
  return text
    .split(/\uE000(\d+)\uE000/)
    .map((piece, index) => (index % 2 === 0 ? piece : (items[Number(piece)] as T)))
    .filter((piece) => piece !== '');
}
