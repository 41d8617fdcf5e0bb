import type { RoundView } from '../../lib/api.ts';
import { h, notice } from '../../lib/dom.ts';
import { formatDateTime } from '../../lib/format.ts';
import { t } from '../../lib/i18n.ts';
import { atScheduledStart } from '../../lib/round-start.ts';

/**
 * A round before its scheduled start takes no ballots (409 `round_not_open`). Its page says when
 * it opens and lists the options, but shows no ballot, not even a disabled one: a form that
 * cannot be sent invites filling it in for nothing, and a disabled one is skipped by keyboards
 * and hard to read. Kept open, the page shows the ballot by itself once the round has opened.
 */
export function scheduledView(round: RoundView & { opens_at: string }): HTMLElement[] {
  return [
    h(
      'div',
      { class: 'vote-status scheduled-notice' },
      notice(
        'info',
        h(
          'p',
          null,
          h('strong', null, t('scheduled.comeBack', { when: formatDateTime(round.opens_at) })),
        ),
        h('p', null, t('scheduled.why')),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'options-heading' },
      h('h2', { id: 'options-heading' }, t('scheduled.options')),
      h(
        'ul',
        { class: 'option-preview' },
        round.options.map((option) => h('li', { dir: 'auto' }, option.label)),
      ),
    ),
  ];
}

/** The one pending wait for the start: a page drawn again replaces it, never adds another. */
let cancelWait: (() => void) | null = null;

/**
 * Reads the round again when its start may have come (lib/round-start.ts), and draws the page
 * for what it is then: open (by its clock or by its organizer), or changed while still
 * scheduled (a new start, new wording). A round just as it was is left as drawn, and waited for
 * again. Returns what cancels the wait (the page drawn anew in another language).
 */
export function drawAgainAtStart(
  round: RoundView & { opens_at: string },
  read: () => Promise<RoundView>,
  draw: (round: RoundView) => void,
): () => void {
  cancelWait?.();
  cancelWait = atScheduledStart(round.opens_at, () => {
    read().then(
      (next) => {
        if (JSON.stringify(next) === JSON.stringify(round)) drawAgainAtStart(round, read, draw);
        else draw(next);
      },
      // Unreachable for a moment: ask again later rather than show an error to a page that is
      // only waiting.
      () => drawAgainAtStart(round, read, draw),
    );
  });
  return () => cancelWait?.();
}
