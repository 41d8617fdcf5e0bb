import { h, uid } from '../../lib/dom.ts';

export const MAX_OPTIONS = 100;

export interface OptionEditor {
  /** The `<ol>` of option rows. */
  list: HTMLOListElement;
  add(value?: string, focus?: boolean): void;
  /** The labels as typed (trimmed), blanks included. */
  labels(): string[];
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
      if (label) label.textContent = `Option ${n}`;
      row.querySelector('.move-up')?.setAttribute('aria-label', `Move option ${n} up`);
      row.querySelector('.move-down')?.setAttribute('aria-label', `Move option ${n} down`);
      row.querySelector('.remove')?.setAttribute('aria-label', `Remove option ${n}`);
    });
    onCount(rows().length);
  }

  function add(value = '', focus = false): void {
    if (rows().length >= MAX_OPTIONS) {
      announcer.textContent = `A round has at most ${MAX_OPTIONS} options.`;
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
      announcer.textContent = `Option ${rows().length} added.`;
    }
  }

  function move(row: HTMLLIElement, delta: -1 | 1): void {
    const all = rows();
    const index = all.indexOf(row);
    const other = all[index + delta];
    if (!other) {
      announcer.textContent = `Option ${index + 1} is already ${delta < 0 ? 'first' : 'last'}.`;
      return;
    }
    list.insertBefore(row, delta < 0 ? other : other.nextSibling);
    renumber();
    row.querySelector<HTMLButtonElement>(delta < 0 ? '.move-up' : '.move-down')?.focus();
    announcer.textContent = `Moved to position ${index + 1 + delta}.`;
  }

  function remove(row: HTMLLIElement): void {
    const all = rows();
    if (all.length <= 2) {
      announcer.textContent = 'A round needs at least two options.';
      return;
    }
    const index = all.indexOf(row);
    row.remove();
    renumber();
    const next = rows()[Math.min(index, rows().length - 1)];
    next?.querySelector('input')?.focus();
    announcer.textContent = `Option removed; ${rows().length} left.`;
  }

  return {
    list,
    add,
    labels: () => rows().map((row) => row.querySelector('input')?.value.trim() ?? ''),
  };
}
