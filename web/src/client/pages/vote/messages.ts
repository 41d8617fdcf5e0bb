import { ApiError, type RoundView, type VoteAccepted } from '../../lib/api.ts';
import { formatDateTime, h, notice } from '../../lib/dom.ts';
import { explain } from '../../lib/page.ts';
import { invitationInvalid, invitationRequired, invitationUsed } from './invitation.ts';

/** Refusals after which the form is gone: sending the same ballot again cannot succeed. */
export const FINAL_REFUSALS = [
  'round_closed',
  'duplicate_vote',
  'invitation_required',
  'invitation_invalid',
];

export function thanks(accepted: VoteAccepted, round: RoundView): HTMLElement {
  return notice(
    'success',
    h(
      'p',
      null,
      h(
        'strong',
        null,
        accepted.replaced ? 'Your vote was changed.' : 'Thank you, your vote is in.',
      ),
    ),
    accepted.replaced ? h('p', null, 'Your new ballot replaced your earlier one.') : null,
    h('p', null, 'Your receipt: ', h('code', { class: 'receipt' }, accepted.receipt)),
    h(
      'p',
      { class: 'hint' },
      'Keep it to find your ballot in the published ballots of the round; it does not say who you are.',
    ),
    round.allow_revote
      ? h('p', null, 'You can still change your vote until the round closes.')
      : null,
  );
}

export function refusal(error: unknown, round: RoundView): HTMLElement {
  if (error instanceof ApiError) {
    if (error.code === 'duplicate_vote') {
      if (round.voters === 'invited') return invitationUsed(round.allow_revote);
      return notice(
        'warning',
        h('p', null, h('strong', null, 'This browser has already voted in this round.')),
        h(
          'p',
          null,
          round.allow_revote
            ? 'Your earlier ballot stands.'
            : 'Each browser has one ballot and this round does not allow changing it, so your first vote is the one that counts.',
        ),
      );
    }
    if (error.code === 'invitation_required') return invitationRequired();
    if (error.code === 'invitation_invalid') return invitationInvalid();
    if (error.code === 'round_closed') return closedNotice(null);
    if (error.code === 'invalid_ballot' || error.code === 'option_not_found') {
      return notice('error', `Your ballot was not accepted: ${error.message}.`);
    }
  }
  return notice('error', `Your vote was not recorded. ${explain(error)}`);
}

export function closedNotice(closedAt: string | null): HTMLElement {
  return notice(
    'warning',
    h('p', null, h('strong', null, 'This round is closed.')),
    h(
      'p',
      null,
      `It takes no more votes${closedAt ? ` (closed ${formatDateTime(closedAt)})` : ''}.`,
    ),
  );
}
