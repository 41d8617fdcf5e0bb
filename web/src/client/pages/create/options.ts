import { h, uid } from '../../lib/dom.ts';
import { t } from '../../lib/i18n.ts';

export const MAX_OPTIONS = 100;

export interface OptionEditor {
  /** The `<ol>` of option rows. */
  list: HTMLOListElement;
  add(value?: string, focus?: boolean): void;
  /** The option fields in order, blanks included. */
  inputs(): HTMLInputElement[];
}

/**
 * The options of a new round: a row per option with its text field and ↑ ↓ ✕ buttons. Every
 * change is announced in `announcer`; `onCount` hears the number of rows.
 */
export function optionEditor(
  announcer: HTMLElement,
  onCount: (count: number) => void,
): OptionEditor {
  const list = h('ol', { class: 'option-list' });

  function rows(): HTMLLIElement[] {
    return Array.from(list.children) as HTMLLIElement[];
  }

  function renumber(): void {
    rows().forEach((row, index) => {
      const n = index + 1;
      const label = row.querySelector('label');
      if (label) label.textContent = t('options.label', { n });
      row.querySelector('.move-up')?.setAttribute('aria-label', t('options.up', { n }));
      row.querySelector('.move-down')?.setAttribute('aria-label', t('options.down', { n }));
      row.querySelector('.remove')?.setAttribute('aria-label', t('options.remove', { n }));
    });
    onCount(rows().length);
  }

  function add(value = '', focus = false): void {
    if (rows().length >= MAX_OPTIONS) {
      announcer.textContent = t('options.atMost', { count: MAX_OPTIONS });
      return;
    }
    const id = uid('option');
    const input = h('input', {
      id,
      type: 'text',
      maxlength: 200,
      value,
      class: 'option-input',
      autocomplete: 'off',
      // Typed in Arabic or Hebrew, the text runs (and aligns) right to left.
      dir: 'auto',
      onkeydown: (event: Event) => {
        // Enter adds the next option rather than submitting a half-filled form.
        if ((event as KeyboardEvent).key !== 'Enter') return;
        event.preventDefault();
        const all = rows();
        if (all.at(-1) === row) add('', true);
        else all[all.indexOf(row) + 1]?.querySelector('input')?.focus();
      },
    });
    const button = (className: string, symbol: string, onclick: () => void) =>
      h(
        'button',
        { type: 'button', class: `icon-button ${className}`, onclick },
        h('span', { 'aria-hidden': 'true' }, symbol),
      );
    const row: HTMLLIElement = h(
      'li',
      { class: 'option-row' },
      h('label', { for: id, class: 'option-label' }),
      input,
      h(
        'span',
        { class: 'moves' },
        button('move-up', '↑', () => move(row, -1)),
        button('move-down', '↓', () => move(row, 1)),
        button('remove', '✕', () => remove(row)),
      ),
    );
    list.append(row);
    renumber();
    if (focus) {
      input.focus();
      announcer.textContent = t('options.added', { n: rows().length });
    }
  }

  function move(row: HTMLLIElement, delta: -1 | 1): void {
    const all = rows();
    const index = all.indexOf(row);
    const other = all[index + delta];
    if (!other) {
      const key = delta < 0 ? 'options.alreadyFirst' : 'options.alreadyLast';
      announcer.textContent = t(key, { n: index + 1 });
      return;
    }
    list.insertBefore(row, delta < 0 ? other : other.nextSibling);
    renumber();
    row.querySelector<HTMLButtonElement>(delta < 0 ? '.move-up' : '.move-down')?.focus();
    announcer.textContent = t('options.moved', { n: index + 1 + delta });
  }

  function remove(row: HTMLLIElement): void {
    const all = rows();
    if (all.length <= 2) {
      announcer.textContent = t('options.needTwo');
      return;
    }
    const index = all.indexOf(row);
    row.remove();
    renumber();
    const next = rows()[Math.min(index, rows().length - 1)];
    next?.querySelector('input')?.focus();
    announcer.textContent = t('options.removed', { count: rows().length });
  }

  return {
    list,
    add,
    inputs: () => rows().flatMap((row) => Array.from(row.querySelectorAll('input'))),
  };
}
