import { joinCodeHalves, normalizeJoinCode } from '@voting/domain';
import { ApiError, getJson } from './api.ts';
import type { Endpoints } from './config.ts';
import { h } from './dom.ts';
import { clearFieldErrors, showFieldError } from './field-errors.ts';
import { t } from './i18n.ts';
import { explain } from './page.ts';

/** A code as the presenter view shows it and people read it: `K7M QP2`. */
export const spacedCode = (code: string): string => joinCodeHalves(code).join(' ');

/**
 * "Join with a code": the field of the home page, and of the page that `/j/:code` shows for a
 * code that leads nowhere. A code is checked in the page first (the domain's rule: case, spaces
 * and dashes do not matter), so a mistyped one is explained without a request; a well-formed one
 * is looked up (`GET /join/:code`) and the browser goes to the round's voting page. Errors are
 * shown under the field and tied to it. `typed` fills the field in, and `failed` says at once why
 * it leads nowhere (the page of `/j/:code`, which comes after a lookup that found nothing).
 */
export function joinForm(endpoints: Endpoints, typed = '', failed = false): HTMLFormElement {
  const input = h('input', {
    id: 'join-code',
    name: 'code',
    type: 'text',
    value: typed,
    class: 'join-input',
    // Phones offer capitals; nothing corrects or completes a code into a word.
    autocapitalize: 'characters',
    inputmode: 'text',
    autocomplete: 'off',
    autocorrect: 'off',
    spellcheck: 'false',
    enterkeyhint: 'go',
    maxlength: 40,
    dir: 'ltr',
    'aria-describedby': 'join-code-hint',
  });
  const button = h('button', { type: 'submit', class: 'button primary' }, t('join.button'));
  const row = h('div', { class: 'join-row' }, input, button);
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });

  const refuse = (message: string) => {
    showFieldError(input, message, row);
    input.focus();
  };
  const explainCode = (code: string | null) =>
    code ? t('join.unknown', { code: spacedCode(code) }) : t('join.malformed');

  const form = h(
    'form',
    {
      class: 'join-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearFieldErrors(form);
        const code = normalizeJoinCode(input.value);
        if (!code) {
          refuse(t('join.malformed'));
          return;
        }
        button.disabled = true;
        status.textContent = t('join.looking');
        try {
          const joined = await getJson<{ round_id: string }>(endpoints.vote(`/join/${code}`));
          window.location.assign(endpoints.page(`r/${joined.round_id}`));
        } catch (error) {
          refuse(
            error instanceof ApiError &&
              (error.code === 'join_code_not_found' || error.code === 'invalid_join_code')
              ? explainCode(error.code === 'join_code_not_found' ? code : null)
              : explain(error),
          );
        } finally {
          button.disabled = false;
          status.textContent = '';
        }
      },
    },
    h('label', { for: 'join-code' }, t('join.label')),
    h('p', { id: 'join-code-hint', class: 'hint' }, t('join.hint')),
    row,
    status,
  );
  if (failed) showFieldError(input, explainCode(normalizeJoinCode(typed)), row);
  return form;
}
