import { METHOD_TRAITS } from '@voting/domain';
import type { RoundView } from '../../lib/api.ts';
import { h } from '../../lib/dom.ts';
import { t } from '../../lib/i18n.ts';
import { optionsForVoter } from '../../lib/option-order.ts';
import { rankingList } from '../../lib/ranking.ts';
import { voterId } from '../../lib/storage.ts';

/** A ballot as a fieldset, and what the page asks of it. */
export interface Ballot {
  fieldset: HTMLFieldSetElement;
  /** What is wrong with the ballot as filled in, or null when it can be sent. */
  problem(): string | null;
  value(): Record<string, unknown>;
  /** The options chosen, as sent (a ranking in its order): what the page remembers. */
  choices(): number[];
  /** Fills the ballot in as it was cast (a revote starts from the current ballot). */
  restore(choices: readonly number[]): void;
}

/**
 * The ballot of a round's method, its options in this voter's order (lib/option-order.ts: the
 * round's own order unless it asks for `shuffle_options`).
 */
export function ballotFor(round: RoundView): Ballot {
  const seed = `${voterId()}:${round.round_id}`;
  const shown = { ...round, options: optionsForVoter(round.options, round.shuffle_options, seed) };
  switch (METHOD_TRAITS[round.method].ballotField) {
    case 'option_id':
      return pickOne(shown);
    case 'option_ids':
      return pickSome(shown);
    case 'ranking':
      return rank(shown);
  }
}

/** One labelled box per option; the label is the organizer's text, in its own direction. */
function choice(round: RoundView, type: 'radio' | 'checkbox', onchange?: () => void) {
  return round.options.map((option) => {
    const id = `option-${option.option_id}`;
    const input = h('input', { type, name: 'option', id, value: option.option_id, onchange });
    return {
      input,
      element: h(
        'div',
        { class: 'choice' },
        input,
        h('label', { for: id, dir: 'auto' }, option.label),
      ),
    };
  });
}

function pickOne(round: RoundView): Ballot {
  const boxes = choice(round, 'radio');
  const fieldset = h(
    'fieldset',
    { class: 'choices big' },
    h('legend', null, t('ballot.pickOne')),
    boxes.map((box) => box.element),
  );
  const checked = () => boxes.find((box) => box.input.checked)?.input;
  return {
    fieldset,
    problem: () => (checked() ? null : t('ballot.pickOneFirst')),
    value: () => ({ option_id: Number(checked()?.value) }),
    choices: () => (checked() ? [Number(checked()?.value)] : []),
    restore: (choices) => {
      for (const box of boxes) box.input.checked = choices.includes(Number(box.input.value));
    },
  };
}

function pickSome(round: RoundView): Ballot {
  const min = round.min_choices ?? 1;
  const max = round.max_choices ?? round.options.length;
  const rule =
    min === max
      ? t('ballot.exactly', { count: min })
      : max >= round.options.length
        ? t('ballot.atLeast', { count: min })
        : t('ballot.between', { min, max });
  const counter = h('p', { class: 'hint', id: 'choice-count', 'aria-live': 'polite' });
  const update = () => {
    const chosen = boxes.filter((box) => box.input.checked).length;
    // At the limit, the unticked boxes are disabled so the limit cannot be overstepped.
    for (const box of boxes) box.input.disabled = !box.input.checked && chosen >= max;
    counter.textContent = t(chosen >= max ? 'ballot.chosenMost' : 'ballot.chosen', {
      count: chosen,
    });
  };
  const boxes = choice(round, 'checkbox', update);
  const fieldset = h(
    'fieldset',
    { class: 'choices big', 'aria-describedby': 'choice-count' },
    h('legend', null, rule),
    boxes.map((box) => box.element),
    counter,
  );
  update();
  const chosen = () =>
    boxes.filter((box) => box.input.checked).map((box) => Number(box.input.value));
  return {
    fieldset,
    problem: () => {
      const count = chosen().length;
      if (count < min) return t('ballot.tooFew', { min, count });
      if (count > max) return t('ballot.tooMany', { max, count });
      return null;
    },
    value: () => ({ option_ids: chosen() }),
    choices: chosen,
    restore: (choices) => {
      for (const box of boxes) box.input.checked = choices.includes(Number(box.input.value));
      update();
    },
  };
}

function rank(round: RoundView): Ballot {
  const help = h('p', { class: 'hint', id: 'ranking-help' }, t('ballot.rankHelp'));
  const list = rankingList(round.options, 'ranking-help');
  const fieldset = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, t('ballot.rank')),
    help,
    list.element,
  );
  return {
    fieldset,
    // An untouched ranked ballot is no ranking at all: it is never sent as one.
    problem: () => (list.order().length === 0 ? t('ballot.rankFirst') : null),
    value: () => ({ ranking: list.order() }),
    choices: () => list.order(),
    restore: (choices) => list.restore(choices),
  };
}
