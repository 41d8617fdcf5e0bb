import type { Voters } from '../../lib/api.ts';
import { h } from '../../lib/dom.ts';
import { type MessageKey, t } from '../../lib/i18n.ts';

export interface Audience {
  fieldsets: HTMLElement[];
  /** What POST /rounds takes: `voters` and `listed`. */
  value(): { voters: Voters; listed: boolean };
}

const VOTERS: { value: Voters; label: MessageKey; hint: MessageKey }[] = [
  { value: 'anyone', label: 'audience.anyone', hint: 'audience.anyoneHint' },
  { value: 'invited', label: 'audience.invited', hint: 'audience.invitedHint' },
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
    h('legend', null, t('audience.who')),
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
        h('label', { for: id }, t(label)),
        h('p', { class: 'hint', id: `${id}-hint` }, t(hint)),
      );
    }),
  );
  const listing = h(
    'fieldset',
    null,
    h('legend', null, t('audience.find')),
    h(
      'div',
      { class: 'choice' },
      listed,
      h('label', { for: 'listed' }, t('audience.listed')),
      h('p', { class: 'hint', id: 'listed-hint' }, t('audience.listedHint')),
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
