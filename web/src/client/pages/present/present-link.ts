import type { Endpoints } from '../../lib/config.ts';
import { h } from '../../lib/dom.ts';
import { t } from '../../lib/i18n.ts';

/** "Present on a screen": the way to the presenter view, where an organizer's links are shown. */
export function presentLink(endpoints: Endpoints, roundId: string): HTMLElement {
  return h(
    'p',
    { class: 'present-link' },
    h(
      'a',
      { class: 'button secondary', href: endpoints.page(`r/${roundId}/present`) },
      t('present.open'),
    ),
    h('span', { class: 'hint' }, t('present.openHint')),
  );
}
