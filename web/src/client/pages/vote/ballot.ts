import { METHOD_TRAITS } from '@voting/domain';
import type { RoundView } from '../../lib/api.ts';
import { h } from '../../lib/dom.ts';
import { rankingList } from '../../lib/ranking.ts';

/** The ballot of a round's method, as a fieldset. */
export interface Ballot {
  fieldset: HTMLElement;
  /** What is wrong with the ballot as filled in, or null when it can be sent. */
  problem(): string | null;
  value(): Record<string, unknown>;
}

export function ballotFor(round: RoundView): Ballot {
  switch (METHOD_TRAITS[round.method].ballotField) {
    case 'option_id':
      return pickOne(round);
    case 'option_ids':
      return pickSome(round);
    case 'ranking':
      return rank(round);
  }
}

function pickOne(round: RoundView): Ballot {
  const fieldset = h(
    'fieldset',
    { class: 'choices big' },
    h('legend', null, 'Choose one option'),
    round.options.map((option) => {
      const id = `option-${option.option_id}`;
      return h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'option', id, value: option.option_id }),
        h('label', { for: id }, option.label),
      );
    }),
  );
  const checked = () => fieldset.querySelector<HTMLInputElement>('input:checked');
  return {
    fieldset,
    problem: () => (checked() ? null : 'Choose an option first.'),
    value: () => ({ option_id: Number(checked()?.value) }),
  };
}

function pickSome(round: RoundView): Ballot {
  const min = round.min_choices ?? 1;
  const max = round.max_choices ?? round.options.length;
  const rule =
    min === max
      ? `Choose exactly ${min}`
      : max >= round.options.length
        ? `Choose at least ${min}`
        : `Choose ${min} to ${max}`;
  const counter = h('p', { class: 'hint', id: 'choice-count', 'aria-live': 'polite' });
  const boxes: HTMLInputElement[] = [];
  const update = () => {
    const chosen = boxes.filter((box) => box.checked).length;
    // At the limit, the unticked boxes are disabled so the limit cannot be overstepped.
    for (const box of boxes) box.disabled = !box.checked && chosen >= max;
    counter.textContent = `${chosen} chosen${chosen >= max ? ' (the most you may choose)' : ''}.`;
  };
  const fieldset = h(
    'fieldset',
    { class: 'choices big', 'aria-describedby': 'choice-count' },
    h('legend', null, `${rule} ${min === 1 && max === 1 ? 'option' : 'options'}`),
    round.options.map((option) => {
      const id = `option-${option.option_id}`;
      const box = h('input', {
        type: 'checkbox',
        name: 'options',
        id,
        value: option.option_id,
        onchange: update,
      });
      boxes.push(box);
      return h('div', { class: 'choice' }, box, h('label', { for: id }, option.label));
    }),
    counter,
  );
  update();
  const chosen = () => boxes.filter((box) => box.checked).map((box) => Number(box.value));
  return {
    fieldset,
    problem: () => {
      const count = chosen().length;
      if (count < min) return `Choose at least ${min} (you chose ${count}).`;
      if (count > max) return `Choose at most ${max} (you chose ${count}).`;
      return null;
    },
    value: () => ({ option_ids: chosen() }),
  };
}

function rank(round: RoundView): Ballot {
  const help = h(
    'p',
    { class: 'hint', id: 'ranking-help' },
    'Put the options in your order of preference, your favourite at the top: drag them by the ⠿ grip, or use the ↑ and ↓ buttons (arrow keys work on them too).',
  );
  const list = rankingList(round.options, 'ranking-help');
  const fieldset = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, 'Rank the options'),
    help,
    list.element,
  );
  return { fieldset, problem: () => null, value: () => ({ ranking: list.order() }) };
}
