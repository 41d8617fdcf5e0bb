import { bearer, type FullResult, postJson } from '../../lib/api.ts';
import { h, notice, replace } from '../../lib/dom.ts';
import { formatDateTime } from '../../lib/format.ts';
import { t } from '../../lib/i18n.ts';
import { explain } from '../../lib/page.ts';

export interface CloseControl {
  element: HTMLElement;
  /** Shows the control for the round as last read. */
  show(state: FullResult): void;
}

/**
 * "Close the round now", with a confirmation step in the page (no confirm() dialog). `closed`
 * runs after a close the server accepted, and returns the round read again.
 */
export function closeControl(
  closeUrl: string,
  token: string,
  closed: () => Promise<FullResult | null>,
): CloseControl {
  const area = h('div', { class: 'close-area' });

  const show = (state: FullResult) => {
    if (state.status === 'closed') {
      replace(
        area,
        notice(
          'info',
          h('strong', null, t('close.closed')),
          ' ',
          state.closed_at
            ? `${t('close.closedAt', { when: formatDateTime(state.closed_at) })} `
            : '',
          t(state.final ? 'close.final' : 'close.finalSoon'),
        ),
      );
      return;
    }
    const ask = h(
      'button',
      {
        type: 'button',
        class: 'button danger',
        onclick: () => {
          replace(
            area,
            h('p', null, h('strong', null, t('close.ask')), ' ', t('close.askWhy')),
            h(
              'div',
              { class: 'button-row' },
              confirm,
              h(
                'button',
                {
                  type: 'button',
                  class: 'button secondary',
                  onclick: () => {
                    show(state);
                    area.querySelector('button')?.focus();
                  },
                },
                t('common.cancel'),
              ),
            ),
          );
          confirm.focus();
        },
      },
      t('close.now'),
    );
    const confirm = h(
      'button',
      {
        type: 'button',
        class: 'button danger',
        onclick: async () => {
          confirm.disabled = true;
          try {
            await postJson(closeUrl, {}, bearer(token));
            const fresh = await closed();
            if (fresh) show(fresh);
            area.setAttribute('tabindex', '-1');
            area.focus();
          } catch (error) {
            confirm.disabled = false;
            replace(area, notice('error', t('close.failed', { why: explain(error) })), ask);
          }
        },
      },
      t('close.yes'),
    );
    replace(area, h('p', null, t('close.explain')), ask);
  };

  return { element: area, show };
}
