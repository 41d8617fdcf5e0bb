import { ApiError, bearer, getJson } from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { h, replace } from '../../lib/dom.ts';
import { showFieldError } from '../../lib/field-errors.ts';
import { t } from '../../lib/i18n.ts';
import { focusHeading } from '../../lib/page.ts';

/**
 * Whether `token` is this round's admin token, asked of the server before the page saves it or
 * shows anything as the admin's. No endpoint exists just to check a token, so this asks the
 * cheapest admin-only read there is: one entry of the voter roll (`GET /rounds/:id/invitations
 * ?limit=1`). The server checks the token before anything else: 401 without one, 403 with a
 * wrong one; a right one gets the roll, or, in a round open to anyone (which has no roll),
 * 400 `round_not_invited`: the token passed.
 */
export async function holdsAdminToken(
  endpoints: Endpoints,
  roundId: string,
  token: string,
): Promise<boolean> {
  try {
    await getJson(endpoints.vote(`/rounds/${roundId}/invitations?limit=1`), bearer(token));
    return true;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'round_not_invited') return true;
    if (error.status === 401 || error.status === 403) return false;
    throw error;
  }
}

/**
 * The form that asks for the admin link or token, with `problem` (why the last one was refused)
 * under its field. `submitted` gets what was typed, the link's `#token=` part taken off.
 */
export function askForToken(
  root: HTMLElement,
  problem: string | null,
  submitted: (token: string) => void,
): void {
  const input = h('input', {
    id: 'admin-token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'admin-token-hint',
  });
  const field = h(
    'div',
    { class: 'field' },
    h('label', { for: 'admin-token' }, t('token.label')),
    input,
    h('p', { class: 'hint', id: 'admin-token-hint' }, t('token.hint')),
  );
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('token.continue'));
  const form = h('form', { class: 'stack', novalidate: true }, field, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim().replace(/^.*#token=/, '');
    if (!value) {
      showFieldError(input, t('token.empty'));
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('token.checking');
    submitted(value);
  });
  replace(root, h('h1', null, t('token.heading')), h('p', null, t('token.needed')), form);
  if (problem) {
    showFieldError(input, problem);
    input.focus();
  } else focusHeading(root);
}
