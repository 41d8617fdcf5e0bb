import { ApiError, bearer, request } from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { bdi, h, notice, replace } from '../../lib/dom.ts';
import { t, tx } from '../../lib/i18n.ts';
import { explain, focusHeading, setTitle } from '../../lib/page.ts';
import { forgetAdminToken, forgetReceipt } from '../../lib/storage.ts';

/**
 * "Delete the round", with a confirmation step in the page (no confirm() dialog), as closing
 * has: the question takes the focus on its "Yes" button, Cancel puts back the Delete button and
 * the focus on it. Once deleted (or found deleted already: 404 is the same outcome), the page
 * says so and this browser forgets the round, so the home page lists it no more.
 */
export function deleteCard(
  endpoints: Endpoints,
  root: HTMLElement,
  roundId: string,
  token: string,
  name: () => string,
): HTMLElement {
  const area = h('div', { class: 'delete-area', tabindex: -1 });

  const deleted = () => {
    forgetAdminToken(roundId);
    forgetReceipt(roundId);
    setTitle(t('delete.title'));
    replace(
      root,
      h('h1', null, t('delete.title')),
      notice(
        'success',
        h('p', null, h('strong', null, ...tx('delete.done', { name: bdi(name()) }))),
        h('p', null, t('delete.doneWhy')),
      ),
      h('p', { class: 'page-links' }, h('a', { href: endpoints.page('') }, t('delete.home'))),
    );
    focusHeading(root);
  };

  const offer = (problem: string | null) => {
    const ask = h(
      'button',
      { type: 'button', class: 'button danger', onclick: () => confirmStep() },
      t('delete.button'),
    );
    replace(
      area,
      problem ? notice('error', problem) : null,
      h('p', { class: 'hint' }, t('delete.hint')),
      h('div', { class: 'button-row' }, ask),
    );
    return ask;
  };

  const confirmStep = () => {
    const yes = h(
      'button',
      {
        type: 'button',
        class: 'button danger',
        onclick: async () => {
          yes.disabled = true;
          yes.textContent = t('delete.working');
          try {
            await request(endpoints.vote(`/rounds/${roundId}`), {
              method: 'DELETE',
              headers: bearer(token),
            });
            deleted();
          } catch (error) {
            if (error instanceof ApiError && error.code === 'round_not_found') deleted();
            else {
              offer(t('delete.failed', { why: explain(error) }));
              area.focus();
            }
          }
        },
      },
      t('delete.yes'),
    );
    const cancel = h(
      'button',
      { type: 'button', class: 'button secondary', onclick: () => offer(null).focus() },
      t('common.cancel'),
    );
    replace(
      area,
      h(
        'p',
        null,
        h('strong', null, ...tx('delete.ask', { name: bdi(name()) })),
        ' ',
        t('delete.askWhy'),
      ),
      h('div', { class: 'button-row' }, yes, cancel),
    );
    yes.focus();
  };

  offer(null);
  return h(
    'section',
    { class: 'card card-danger', 'aria-labelledby': 'delete-heading' },
    h('h2', { id: 'delete-heading' }, t('delete.heading')),
    area,
  );
}
