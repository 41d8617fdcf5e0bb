import { h, liveRegion, uid } from './dom.ts';

export interface RankingOption {
  option_id: number;
  label: string;
}

export interface RankingList {
  element: HTMLElement;
  /** Option ids, most preferred first. */
  order(): number[];
}

/**
 * An ordered list the voter sorts into their preference: by dragging (mouse, touch or pen, via
 * pointer events on the grip or, with a mouse, anywhere on the item) or with the Move up / Move
 * down buttons (and the arrow keys on them). Every move is announced in a live region; the
 * buttons are never disabled, so keyboard focus stays on the button that was pressed.
 */
export function rankingList(options: readonly RankingOption[], describedBy: string): RankingList {
  const announcer = liveRegion();
  const list = h('ol', { class: 'ranking', 'aria-describedby': describedBy });
  const labels = new Map(options.map((option) => [option.option_id, option.label]));

  const items = () => Array.from(list.children) as HTMLLIElement[];
  const labelOf = (item: HTMLLIElement) => labels.get(Number(item.dataset.optionId)) ?? '';

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
  }

  function announce(item: HTMLLIElement): void {
    const all = items();
    announcer.textContent = `${labelOf(item)} is now number ${all.indexOf(item) + 1} of ${all.length}.`;
  }

  function move(item: HTMLLIElement, delta: -1 | 1): void {
    const all = items();
    const index = all.indexOf(item);
    const target = index + delta;
    if (target < 0 || target >= all.length) {
      announcer.textContent = `${labelOf(item)} is already ${delta < 0 ? 'first' : 'last'}.`;
      return;
    }
    const neighbour = all[target];
    if (!neighbour) return;
    if (delta < 0) list.insertBefore(item, neighbour);
    else list.insertBefore(item, neighbour.nextSibling);
    refresh();
    announce(item);
  }

  function moveButton(item: HTMLLIElement, label: string, delta: -1 | 1): HTMLButtonElement {
    const up = delta < 0;
    const button = h(
      'button',
      {
        type: 'button',
        class: `icon-button ${up ? 'move-up' : 'move-down'}`,
        'aria-label': `Move ${label} ${up ? 'up' : 'down'}`,
        onclick: () => {
          move(item, delta);
          button.focus();
        },
        onkeydown: (event: Event) => {
          const key = (event as KeyboardEvent).key;
          if (key !== 'ArrowUp' && key !== 'ArrowDown') return;
          event.preventDefault();
          move(item, key === 'ArrowUp' ? -1 : 1);
          // Follow the item with the button of the same direction as the key.
          item
            .querySelector<HTMLButtonElement>(key === 'ArrowUp' ? '.move-up' : '.move-down')
            ?.focus();
        },
      },
      h('span', { 'aria-hidden': 'true' }, up ? '↑' : '↓'),
    );
    return button;
  }

  for (const option of options) {
    const item = h('li', { class: 'rank-item', 'data-option-id': option.option_id });
    const grip = h('span', { class: 'grip', 'aria-hidden': 'true', title: 'Drag' }, '⠿');
    item.append(
      grip,
      h('span', { class: 'rank', 'aria-hidden': 'true' }),
      h('span', { class: 'rank-label' }, option.label),
      h(
        'span',
        { class: 'moves' },
        moveButton(item, option.label, -1),
        moveButton(item, option.label, 1),
      ),
    );
    enableDrag(item, grip);
    list.append(item);
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
        if (items().indexOf(item) !== startIndex) announce(item);
      };
      list.addEventListener('pointermove', onMove);
      list.addEventListener('pointerup', onEnd);
      list.addEventListener('pointercancel', onEnd);
    });
  }

  const element = h('div', { class: 'ranking-box', id: uid('ranking') }, list, announcer);
  return {
    element,
    order: () => items().map((item) => Number(item.dataset.optionId)),
  };
}

function middle(element: Element): number {
  const box = element.getBoundingClientRect();
  return box.top + box.height / 2;
}
