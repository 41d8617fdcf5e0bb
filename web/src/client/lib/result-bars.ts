import type { FullResult } from './api.ts';
import { h } from './dom.ts';
import { percent } from './format.ts';
import { methodFigure, methodFigureNote, methodUnits } from './methods.ts';

export interface ResultBars {
  element: HTMLElement;
  /** Moves the bars and rows to the new figures, keeping every row element (no redraw). */
  update(result: FullResult): void;
}

const MOVE_MS = 400;
const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * One bar per option, as long as its share of ALL ballots (47 % of the ballots fill 47 % of the
 * track; scaling to the leader made a minority look like a landslide). An update changes each
 * row in place: the bar's width eases (a CSS transition) and rows that change places glide
 * there (FLIP: measure, reorder, play the difference back), unless the reader asked the system
 * for reduced motion.
 */
export function resultBars(first: FullResult): ResultBars {
  const list = h('ol', { class: 'bars' });
  const note = h('p', { class: 'hint' });
  const heading = h('h2', { id: 'bars-heading' });
  const rows = new Map<
    number,
    { row: HTMLLIElement; label: HTMLElement; value: HTMLElement; fill: HTMLElement }
  >();

  const rowFor = (id: number) => {
    const existing = rows.get(id);
    if (existing) return existing;
    const fill = h('span', { class: 'bar-fill' });
    const label = h('span', { class: 'bar-label', dir: 'auto' });
    const value = h('span', { class: 'bar-value' });
    const row = h(
      'li',
      { class: 'bar-row', 'data-option-id': id },
      h('span', { class: 'bar-head' }, label, value),
      h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
    );
    const made = { row, label, value, fill };
    rows.set(id, made);
    return made;
  };

  const update = (result: FullResult) => {
    heading.textContent = methodFigure(result.method);
    note.textContent = methodFigureNote(result.method);
    note.hidden = note.textContent === '';
    const animate = !reducedMotion() && list.isConnected;
    const before = new Map<number, number>();
    if (animate) for (const [id, { row }] of rows) before.set(id, row.getBoundingClientRect().top);

    for (const entry of result.results) {
      const { row, label, value, fill } = rowFor(entry.option_id);
      label.textContent = entry.label;
      value.replaceChildren(
        h('strong', null, methodUnits(result.method, entry.votes)),
        ` · ${percent(entry.share)}`,
      );
      // CSSOM, not a style attribute: the Content-Security-Policy allows no inline styles.
      fill.style.width = `${Math.min(1, Math.max(0, entry.share)) * 100}%`;
      list.append(row); // in the new order; an element already there just moves
    }

    if (!animate) return;
    for (const [id, { row }] of rows) {
      const delta = (before.get(id) ?? 0) - row.getBoundingClientRect().top;
      if (before.has(id) && Math.abs(delta) > 1) {
        row.animate([{ transform: `translateY(${delta}px)` }, { transform: 'none' }], {
          duration: MOVE_MS,
          easing: 'ease-in-out',
        });
      }
    }
  };

  update(first);
  return {
    element: h(
      'section',
      { class: 'card', 'aria-labelledby': 'bars-heading' },
      heading,
      note,
      list,
    ),
    update,
  };
}
