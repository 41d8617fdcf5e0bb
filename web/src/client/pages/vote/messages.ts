import { ApiError, type RoundView, type VoteAccepted } from '../../lib/api.ts';
import { bdi, h, notice } from '../../lib/dom.ts';
import { formatDateTime } from '../../lib/format.ts';
import { t, tx } from '../../lib/i18n.ts';
import { explain } from '../../lib/page.ts';
import type { ReceiptEntry } from '../../lib/storage.ts';
import { invitationInvalid, invitationRequired, invitationUsed } from './invitation.ts';

/** Refusals after which the form is gone: sending the same ballot again cannot succeed. */
export const FINAL_REFUSALS = [
  'round_closed',
  'duplicate_vote',
  'invitation_required',
  'invitation_invalid',
];

/** What a ballot chose, by the options' labels: a ranking in its order, else a plain list. */
export function chosenList(round: RoundView, choices: readonly number[]): HTMLElement {
  const labels = new Map(round.options.map((option) => [option.option_id, option.label]));
  const ranked = round.method === 'ranked' || round.method === 'condorcet';
  return h(
    ranked ? 'ol' : 'ul',
    { class: 'chosen' },
    // <bdi>, not dir=auto on the item: the number stays where the page's direction puts it.
    choices.map((id) => h('li', null, bdi(labels.get(id) ?? `#${id}`))),
  );
}

export function thanks(accepted: VoteAccepted, round: RoundView, choices: number[]): HTMLElement {
  return notice(
    'success',
    h(
      'p',
      null,
      h('strong', null, t(accepted.replaced ? 'vote.changed' : 'vote.thanks')),
      accepted.replaced ? ` ${t('vote.replaced')}` : null,
    ),
    h('p', null, t('vote.youChose')),
    chosenList(round, choices),
    h('p', null, t('vote.receipt'), ' ', h('code', { class: 'receipt' }, accepted.receipt)),
    h('p', { class: 'hint' }, t('vote.receiptHint')),
    round.allow_revote ? h('p', null, t('vote.canChange')) : null,
  );
}

/**
 * A browser that voted in this round before sees its ballot as it cast it (kept in this browser
 * when it voted), its receipt and the results, instead of a ballot it could not send again.
 */
export function yourBallot(round: RoundView, earlier: ReceiptEntry, resultsLink: string) {
  return h(
    'section',
    { class: 'card your-ballot', 'aria-labelledby': 'your-ballot-heading' },
    h('h2', { id: 'your-ballot-heading' }, t('vote.alreadyVoted')),
    h('p', null, t('vote.votedAt', { when: formatDateTime(earlier.at) })),
    earlier.choices && earlier.choices.length > 0
      ? [h('p', null, t('vote.youChose')), chosenList(round, earlier.choices)]
      : null,
    h('p', null, t('vote.receipt'), ' ', h('code', { class: 'receipt' }, earlier.receipt)),
    h(
      'p',
      { class: 'hint' },
      round.status === 'open'
        ? t(round.allow_revote ? 'vote.revoteBelow' : 'vote.cannotChange')
        : t('vote.receiptHint'),
    ),
    h('a', { class: 'button secondary', href: resultsLink }, t('vote.seeResults')),
  );
}

/**
 * In an invited round a receipt kept by this browser says nothing about the invitation in hand
 * (two people may share a device), so there it only informs, and never shows what was chosen.
 */
export function invitedEarlierNotice(earlier: ReceiptEntry, round: RoundView, withCode: boolean) {
  const when = tx('vote.invitedEarlier', {
    when: formatDateTime(earlier.at),
    receipt: h('code', null, earlier.receipt),
  });
  if (withCode) {
    return notice(
      'info',
      h('p', null, h('strong', null, t('vote.invitedEarlierTitle')), ' ', ...when),
      h('p', null, t('vote.invitedEarlierOther')),
    );
  }
  return notice(
    'info',
    h('p', null, h('strong', null, t('vote.invitedVotedTitle')), ' ', ...when),
    round.allow_revote ? h('p', null, t('vote.invitedRevote')) : null,
  );
}

export function refusal(error: unknown, round: RoundView): HTMLElement {
  if (error instanceof ApiError) {
    if (error.code === 'duplicate_vote') {
      if (round.voters === 'invited') return invitationUsed(round.allow_revote);
      return notice(
        'warning',
        h('p', null, h('strong', null, t('vote.duplicate'))),
        h('p', null, t(round.allow_revote ? 'vote.duplicateStands' : 'vote.duplicateFirst')),
      );
    }
    if (error.code === 'invitation_required') return invitationRequired();
    if (error.code === 'invitation_invalid') return invitationInvalid();
    if (error.code === 'round_closed') return closedNotice(null);
    if (error.code === 'round_not_open') {
      return notice(
        'warning',
        h('p', null, h('strong', null, t('vote.notOpenYet'))),
        h('p', null, t('scheduled.tryLater')),
      );
    }
    if (error.code === 'invalid_ballot' || error.code === 'option_not_found') {
      return notice('error', t('vote.invalidBallot', { message: error.message }));
    }
  }
  return notice('error', t('vote.notRecorded', { why: explain(error) }));
}

export function closedNotice(closedAt: string | null): HTMLElement {
  return notice(
    'warning',
    h('p', null, h('strong', null, t('vote.closed'))),
    h(
      'p',
      null,
      closedAt ? t('vote.closedAt', { when: formatDateTime(closedAt) }) : t('vote.noMoreVotes'),
    ),
  );
}
