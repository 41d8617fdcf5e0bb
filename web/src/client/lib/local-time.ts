import { h } from './dom.ts';

/**
 * A round's start and deadline as people type them: a `datetime-local` field, which holds a
 * date and time in this browser's own zone and no zone at all, while the API speaks instants
 * (ISO 8601, UTC). One home for the conversion both ways, used by the create and manage pages.
 */

/** A labelled date-and-time field with its hint under the label's text. */
export function dateTimeField(
  id: string,
  label: string,
  hint: string,
  iso: string | null = null,
): { field: HTMLElement; input: HTMLInputElement } {
  const input = h('input', {
    id,
    type: 'datetime-local',
    value: localInputValue(iso),
    'aria-describedby': `${id}-hint`,
  });
  const field = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    h('p', { class: 'hint', id: `${id}-hint` }, hint),
  );
  return { field, input };
}

/** An instant as a `datetime-local` value in this browser's zone, to the minute; '' for none. */
export function localInputValue(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
}

/**
 * What a `datetime-local` field says: 'none' when empty, 'unreadable' or 'past' when it cannot
 * be a start or a deadline, else the instant it means (a date-time without a zone is read as
 * local time, which is what the field shows).
 */
export function futureInstant(value: string): Date | 'none' | 'unreadable' | 'past' {
  if (!value) return 'none';
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return 'unreadable';
  return at.getTime() <= Date.now() ? 'past' : at;
}
