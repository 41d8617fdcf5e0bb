import { ApiError, type FullResult } from '../../lib/api.ts';
import { h, replace } from '../../lib/dom.ts';
import { clearFieldErrors, showFieldError } from '../../lib/field-errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { type MessageKey, t } from '../../lib/i18n.ts';
import { dateTimeField, futureInstant } from '../../lib/local-time.ts';
import { explain } from '../../lib/page.ts';
import { patchRound, type ReadAgain, type RoundControl } from './patch-round.ts';

/** The 409s after which a time can no longer change, and what to say under its field. */
const TOO_LATE: Record<string, MessageKey> = {
  round_started: 'schedule.started',
  round_closed: 'deadline.closed',
};

/**
 * When the round takes ballots: its scheduled start, which can be changed or dropped ("Open it
 * now") until it comes, and its deadline, which can be moved either way or removed until the
 * round closes. Both typed in this browser's local time, as on the create page. A round created
 * without a start opened at once: it has no start left to set, and none is shown.
 */
export function scheduleControls(
  roundUrl: string,
  token: string,
  readAgain: ReadAgain,
): RoundControl {
  const start = h('div', { class: 'schedule-part' });
  const deadline = h('div', { class: 'schedule-part' });
  const status = h('p', {
    class: 'schedule-status',
    role: 'status',
    'aria-live': 'polite',
    tabindex: -1,
  });
  const times = h('div', null, start, deadline);
  const element = h('div', { class: 'schedule' }, times, status);
  let shown = '';

  /**
   * Sends one change of time. Errors go under `input`; a 409 that makes the change impossible
   * is explained there, and the page is read again to show the round as it now is.
   */
  const send = async (
    input: HTMLInputElement,
    change: { opens_at?: string | null; closes_at?: string | null },
    done: string,
  ) => {
    // Before the buttons are disabled, which takes the focus away from the one pressed.
    const pressed = document.activeElement?.id;
    const buttons = [...element.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    try {
      await patchRound(roundUrl, token, change);
      status.textContent = done;
      await readAgain();
    } catch (error) {
      const late = error instanceof ApiError ? TOO_LATE[error.code] : undefined;
      if (late) {
        status.textContent = t(late);
        await readAgain();
      } else showFieldError(input, t('schedule.failed', { why: explain(error) }));
    } finally {
      for (const button of buttons) button.disabled = false;
    }
    // Back to the control pressed, drawn anew; if it is gone (Open it now, Remove the
    // deadline), or the round closed meanwhile, to the sentence that says what happened.
    const again = pressed ? document.getElementById(pressed) : null;
    (again && times.contains(again) && !times.hidden ? again : status).focus();
  };

  /** A typed time as an instant to send, or null after putting its problem under the field. */
  const readTime = (input: HTMLInputElement, future: MessageKey): Date | null => {
    clearFieldErrors(element);
    status.textContent = '';
    const at = futureInstant(input.value);
    const problem: MessageKey | null =
      at === 'none'
        ? 'schedule.empty'
        : at === 'unreadable'
          ? 'schedule.unreadable'
          : at === 'past'
            ? future
            : null;
    if (problem || !(at instanceof Date)) {
      showFieldError(input, t(problem ?? 'schedule.unreadable'));
      input.focus();
      return null;
    }
    return at;
  };

  const button = (text: string, kind: 'primary' | 'secondary', onclick: () => void, id: string) =>
    h('button', { type: 'button', class: `button ${kind}`, id, onclick }, text);

  const drawStart = (state: FullResult) => {
    // A round created without a start (or opened by hand) has none to show or set.
    start.hidden = state.status !== 'scheduled' && !state.opens_at;
    if (state.status !== 'scheduled' || !state.opens_at) {
      replace(
        start,
        state.opens_at
          ? h('p', null, t('schedule.opened', { when: formatDateTime(state.opens_at) }))
          : null,
      );
      return;
    }
    const { field, input } = dateTimeField(
      'opens-at',
      t('schedule.opensLabel'),
      t('schedule.opensHint'),
      state.opens_at,
    );
    const save = () => {
      const at = readTime(input, 'schedule.future');
      if (!at) return;
      if (state.closes_at && at >= new Date(state.closes_at)) {
        showFieldError(input, t('schedule.beforeDeadline'));
        input.focus();
        return;
      }
      const iso = at.toISOString();
      void send(input, { opens_at: iso }, t('schedule.saved', { when: formatDateTime(iso) }));
    };
    replace(
      start,
      h(
        'p',
        null,
        h('strong', null, t('schedule.opensAt', { when: formatDateTime(state.opens_at) })),
      ),
      field,
      h(
        'div',
        { class: 'button-row' },
        button(t('schedule.save'), 'primary', save, 'save-start'),
        button(
          t('schedule.openNow'),
          'secondary',
          () => void send(input, { opens_at: null }, t('schedule.openedNow')),
          'open-now',
        ),
      ),
    );
  };

  const drawDeadline = (state: FullResult) => {
    const { field, input } = dateTimeField(
      'closes-at',
      t('deadline.label'),
      t('deadline.hint'),
      state.closes_at,
    );
    const save = () => {
      const at = readTime(input, 'create.closesFuture');
      if (!at) return;
      if (state.status === 'scheduled' && state.opens_at && at <= new Date(state.opens_at)) {
        showFieldError(input, t('deadline.afterStart', { when: formatDateTime(state.opens_at) }));
        input.focus();
        return;
      }
      const iso = at.toISOString();
      void send(input, { closes_at: iso }, t('deadline.saved', { when: formatDateTime(iso) }));
    };
    replace(
      deadline,
      h(
        'p',
        null,
        state.closes_at
          ? t('deadline.at', { when: formatDateTime(state.closes_at) })
          : t('deadline.none'),
      ),
      field,
      h(
        'div',
        { class: 'button-row' },
        button(t('deadline.save'), 'primary', save, 'save-deadline'),
        state.closes_at
          ? button(
              t('deadline.remove'),
              'secondary',
              () => void send(input, { closes_at: null }, t('deadline.removed')),
              'remove-deadline',
            )
          : null,
      ),
    );
  };

  const show = (state: FullResult) => {
    // A closed round's times are history: the close control says when it closed.
    times.hidden = state.status === 'closed';
    // Drawn again only when the times or the status changed: what is being typed stays.
    const key = [state.status, state.opens_at, state.closes_at].join(' ');
    if (key === shown) return;
    shown = key;
    drawStart(state);
    drawDeadline(state);
  };

  return { element, show };
}
