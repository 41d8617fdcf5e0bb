import type { Voters } from '../../lib/api.ts';
import { h } from '../../lib/dom.ts';

export interface Audience {
  fieldsets: HTMLElement[];
  /** What POST /rounds takes: `voters` and `listed`. */
  value(): { voters: Voters; listed: boolean };
}

const VOTERS: { value: Voters; label: string; hint: string }[] = [
  {
    value: 'anyone',
    label: 'Anyone with the link',
    hint: 'Share one link or QR code; each browser can vote once.',
  },
  {
    value: 'invited',
    label: 'Only people I invite',
    hint: 'A voter roll: you issue one personal link per voter, each good for one ballot, and see who has voted.',
  },
];

/** "Who may vote?" and "Who can find it?" on the create page. */
export function audienceFields(): Audience {
  const listed = h('input', {
    id: 'listed',
    type: 'checkbox',
    'aria-describedby': 'listed-hint',
  });
  const voters = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, 'Who may vote?'),
    VOTERS.map(({ value, label, hint }, index) => {
      const id = `voters-${value}`;
      return h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'voters',
          id,
          value,
          checked: index === 0,
          'aria-describedby': `${id}-hint`,
        }),
        h('label', { for: id }, label),
        h('p', { class: 'hint', id: `${id}-hint` }, hint),
      );
    }),
  );
  const listing = h(
    'fieldset',
    null,
    h('legend', null, 'Who can find it?'),
    h(
      'div',
      { class: 'choice' },
      listed,
      h('label', { for: 'listed' }, 'List this round on the home page'),
      h(
        'p',
        { class: 'hint', id: 'listed-hint' },
        'Otherwise only people you give the link to can find it.',
      ),
    ),
  );
  return {
    fieldsets: [voters, listing],
    value: () => ({
      voters:
        voters.querySelector<HTMLInputElement>('input[name=voters]:checked')?.value === 'invited'
          ? 'invited'
          : 'anyone',
      listed: listed.checked,
    }),
  };
}
