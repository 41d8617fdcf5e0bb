import { bearer, type FullResult, postJson } from '../../lib/api.ts';
import { formatDateTime, h, notice, replace } from '../../lib/dom.ts';
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
          h('strong', null, 'This round is closed. '),
          state.closed_at ? `It closed ${formatDateTime(state.closed_at)}. ` : '',
          state.final
            ? 'Its result is final.'
            : 'The final result is published as soon as the last ballots are counted.',
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
            h(
              'p',
              null,
              h('strong', null, 'Close the round now? '),
              'No more votes will be accepted. This cannot be undone.',
            ),
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
                'Cancel',
              ),
            ),
          );
          confirm.focus();
        },
      },
      'Close the round now',
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
            replace(area, notice('error', `The round was not closed. ${explain(error)}`), ask);
          }
        },
      },
      'Yes, close it now',
    );
    replace(
      area,
      h('p', null, 'Closing stops the voting at once; the final result follows within a second.'),
      ask,
    );
  };

  return { element: area, show };
}
