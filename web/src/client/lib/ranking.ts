import { h, liveRegion, uid } from './dom.ts';
import { t } from './i18n.ts';

export interface RankingOption {
  option_id: number;
  label: string;
}

export interface RankingList {
  element: HTMLElement;
  /** The ranked option ids, most preferred first; empty while nothing is ranked. */
  order(): number[];
  /** Ranks these options in this order, the others not (a ballot restored for a revote). */
  restore(ids: readonly number[]): void;
}

/**
 * A ranking the voter builds: every option starts unranked (a list given in some order would
 * favour whatever comes first), the voter adds the ones they care about, their favourite first,
 * and may stop after any number. Ranked options are sorted by dragging (mouse, touch or pen, on
 * the grip or, with a mouse, anywhere on the item) or with the ↑ / ↓ buttons (and the arrow keys
 * on them), and taken out again with ✕. Every change is announced in a live region; the buttons
 * are never disabled, so keyboard focus stays on the button that was pressed.
 */
export function rankingList(options: readonly RankingOption[], describedBy: string): RankingList {
  const announcer = liveRegion();
  const rankedId = uid('ranked');
  const unrankedId = uid('unranked');
  const list = h('ol', {
    class: 'ranking',
    'aria-labelledby': rankedId,
    'aria-describedby': describedBy,
  });
  const empty = h('p', { class: 'ranking-empty hint' }, t('ranking.empty'));
  const pool = h('ul', { class: 'unranked', 'aria-labelledby': unrankedId });
  const poolDone = h('p', { class: 'ranking-empty hint', hidden: true }, t('ranking.allRanked'));
  const labels = new Map(options.map((option) => [option.option_id, option.label]));
  const position = new Map(options.map((option, index) => [option.option_id, index]));
  const rankedItems = new Map<number, HTMLLIElement>();
  const poolItems = new Map<number, HTMLLIElement>();

  const items = () => Array.from(list.children) as HTMLLIElement[];
  const idOf = (item: HTMLElement) => Number(item.dataset.optionId);
  const labelOf = (item: HTMLElement) => labels.get(idOf(item)) ?? '';

  function refresh(): void {
    const all = items();
    all.forEach((item, index) => {
      const rank = item.querySelector('.rank');
      if (rank) rank.textContent = String(index + 1);
      item.querySelector('.move-up')?.setAttribute('aria-disabled', String(index === 0));
      item
        .querySelector('.move-down')
        ?.setAttribute('aria-disabled', String(index === all.length - 1));
    });
    empty.hidden = all.length > 0;
    poolDone.hidden = pool.children.length > 0;
  }

  function announcePlace(item: HTMLLIElement): void {
    const all = items();
    announcer.textContent = t('ranking.now', {
      label: labelOf(item),
      place: all.indexOf(item) + 1,
      count: all.length,
    });
  }

  function move(item: HTMLLIElement, delta: -1 | 1): void {
    const all = items();
    const neighbour = all[all.indexOf(item) + delta];
    if (!neighbour) {
      const key = delta < 0 ? 'ranking.alreadyFirst' : 'ranking.alreadyLast';
      announcer.textContent = t(key, { label: labelOf(item) });
      return;
    }
    list.insertBefore(item, delta < 0 ? neighbour : neighbour.nextSibling);
    refresh();
    announcePlace(item);
  }

  function rank(id: number, announce = true): void {
    const item = rankedItems.get(id);
    const waiting = poolItems.get(id);
    if (!item || !waiting) return;
    waiting.remove();
    list.append(item);
    refresh();
    if (announce) announcePlace(item);
  }

  function unrank(item: HTMLLIElement): void {
    const id = idOf(item);
    const waiting = poolItems.get(id);
    if (!waiting) return;
    item.remove();
    // Back in the round's own order among the unranked.
    const later = Array.from(pool.children).find(
      (other) => (position.get(idOf(other as HTMLElement)) ?? 0) > (position.get(id) ?? 0),
    );
    pool.insertBefore(waiting, later ?? null);
    refresh();
    announcer.textContent = t('ranking.removed', { label: labels.get(id) ?? '' });
  }

  const button = (className: string, symbol: string, label: string, onclick: () => void) =>
    h(
      'button',
      { type: 'button', class: `icon-button ${className}`, 'aria-label': label, onclick },
      h('span', { 'aria-hidden': 'true' }, symbol),
    );

  for (const option of options) {
    const id = option.option_id;
    const item = h('li', { class: 'rank-item', 'data-option-id': id });
    const grip = h('span', { class: 'grip', 'aria-hidden': 'true', title: t('ranking.drag') }, '⠿');
    const up = button('move-up', '↑', t('ranking.moveUp', { label: option.label }), () => {
      move(item, -1);
      up.focus();
    });
    const down = button('move-down', '↓', t('ranking.moveDown', { label: option.label }), () => {
      move(item, 1);
      down.focus();
    });
    for (const control of [up, down]) {
      control.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        move(item, event.key === 'ArrowUp' ? -1 : 1);
        // Follow the item with the button of the same direction as the key.
        (event.key === 'ArrowUp' ? up : down).focus();
      });
    }
    const remove = button('unrank', '✕', t('ranking.remove', { label: option.label }), () => {
      const all = items();
      const next = all[all.indexOf(item) + 1] ?? all[all.indexOf(item) - 1];
      unrank(item);
      (next?.querySelector<HTMLElement>('.unrank') ?? pool.querySelector('button'))?.focus();
    });
    item.append(
      grip,
      h('span', { class: 'rank', 'aria-hidden': 'true' }),
      h('span', { class: 'rank-label', dir: 'auto' }, option.label),
      h('span', { class: 'moves' }, up, down, remove),
    );
    enableDrag(item, grip);
    rankedItems.set(id, item);

    const add = h(
      'button',
      {
        type: 'button',
        class: 'button secondary add-rank',
        'aria-label': t('ranking.add', { label: option.label }),
        onclick: () => {
          const following = poolItems.get(id)?.nextElementSibling;
          rank(id);
          // Keep adding from where the voter is; after the last one, go to what was ranked.
          (
            following?.querySelector<HTMLElement>('button') ??
            pool.querySelector<HTMLElement>('button') ??
            item.querySelector<HTMLElement>('.move-up')
          )?.focus();
        },
      },
      t('ranking.addButton'),
    );
    const waiting = h(
      'li',
      { class: 'unranked-item', 'data-option-id': id },
      h('span', { class: 'rank-label', dir: 'auto' }, option.label),
      add,
    );
    poolItems.set(id, waiting);
    pool.append(waiting);
  }
  refresh();

  function enableDrag(item: HTMLLIElement, grip: HTMLElement): void {
    item.addEventListener('pointerdown', (event) => {
      const onGrip = event.target instanceof Node && grip.contains(event.target);
      const onButton = event.target instanceof Element && event.target.closest('button');
      // Touch drags start on the grip only, so the rest of the item still scrolls the page.
      if (onButton || (!onGrip && event.pointerType !== 'mouse') || event.button !== 0) return;
      event.preventDefault();
      // The list captures the pointer, not the item: moving the item in the DOM would drop it.
      list.setPointerCapture(event.pointerId);
      item.classList.add('dragging');
      const startIndex = items().indexOf(item);

      const onMove = (moveEvent: PointerEvent) => {
        if (moveEvent.pointerId !== event.pointerId) return;
        const all = items();
        const index = all.indexOf(item);
        const previous = all[index - 1];
        const next = all[index + 1];
        if (previous && moveEvent.clientY < middle(previous)) list.insertBefore(item, previous);
        else if (next && moveEvent.clientY > middle(next))
          list.insertBefore(item, next.nextSibling);
        else return;
        refresh();
      };
      const onEnd = (endEvent: PointerEvent) => {
        if (endEvent.pointerId !== event.pointerId) return;
        item.classList.remove('dragging');
        list.removeEventListener('pointermove', onMove);
        list.removeEventListener('pointerup', onEnd);
        list.removeEventListener('pointercancel', onEnd);
        if (list.hasPointerCapture(event.pointerId)) list.releasePointerCapture(event.pointerId);
        if (items().indexOf(item) !== startIndex) announcePlace(item);
      };
      list.addEventListener('pointermove', onMove);
      list.addEventListener('pointerup', onEnd);
      list.addEventListener('pointercancel', onEnd);
    });
  }

  const element = h(
    'div',
    { class: 'ranking-box' },
    h('p', { class: 'ranking-caption', id: rankedId }, t('ranking.ranked')),
    list,
    empty,
    h('p', { class: 'ranking-caption', id: unrankedId }, t('ranking.unranked')),
    pool,
    poolDone,
    announcer,
  );
  return {
    element,
    order: () => items().map(idOf),
    restore: (ids) => {
      for (const item of items()) unrank(item);
      for (const id of ids) rank(id, false);
      announcer.textContent = '';
    },
  };
}

function middle(element: Element): number {
  const box = element.getBoundingClientRect();
  return box.top + box.height / 2;
}
