import { METHOD_TRAITS } from '@voting/domain';
import { ApiError, getJson, postJson, type RoundView, type VoteAccepted } from '../lib/api.ts';
import { roundIdFromLocation } from '../lib/config.ts';
import { formatDateTime, h, notice, replace } from '../lib/dom.ts';
import { runPage, setTitle } from '../lib/page.ts';
import { type ReceiptEntry, receipt, rememberReceipt, voterId } from '../lib/storage.ts';
import { ballotFor } from './vote/ballot.ts';
import {
  invitationInvalid,
  invitationRequired,
  invitedNotice,
  looksLikeCode,
  reloadOnNewCode,
  takeInvitationCode,
} from './vote/invitation.ts';
import { closedNotice, FINAL_REFUSALS, refusal, thanks } from './vote/messages.ts';

// First, before any request: the invitation code leaves the address bar (vote/invitation.ts).
// In memory only, and forgotten once it can no longer serve.
let code = takeInvitationCode();
reloadOnNewCode();

runPage(async (endpoints, root) => {
  const roundId = roundIdFromLocation();
  const round = await getJson<RoundView>(endpoints.vote(`/rounds/${roundId}/definition`));
  setTitle(round.name);
  const invited = round.voters === 'invited';
  // A round open to anyone takes no code: one in its link is ignored, and nothing changes.
  if (!invited) code = null;
  const resultsLink = endpoints.page(`r/${round.round_id}/results`);
  const results = h('p', null, h('a', { href: resultsLink }, 'See the results'));
  const status = h('div', { class: 'vote-status', tabindex: -1 });
  const earlier = receipt(round.round_id);

  const header = [
    h('h1', null, round.name),
    h(
      'p',
      { class: 'meta' },
      METHOD_TRAITS[round.method].name,
      invited ? ' · invited voters only' : null,
      round.status === 'open' && round.closes_at
        ? ` · closes ${formatDateTime(round.closes_at)}`
        : null,
    ),
  ];

  if (round.status === 'closed') {
    replace(root, ...header, closedNotice(round.closed_at), results);
    return;
  }

  if (invited && (code === null || !looksLikeCode(code))) {
    // Without a usable code no ballot can be accepted: say so before anyone fills one in.
    const why =
      code !== null
        ? invitationInvalid()
        : earlier
          ? earlierNotice(earlier, round, false)
          : invitationRequired();
    code = null;
    replace(root, ...header, h('div', { class: 'vote-status' }, why), results);
    return;
  }

  const ballot = ballotFor(round);
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Cast my vote');
  const form = h('form', { class: 'stack ballot', novalidate: true }, ballot.fieldset, submit);

  const intro = invited
    ? invitedNotice(round.allow_revote)
    : h(
        'p',
        { class: 'notice notice-info one-ballot' },
        h('strong', null, 'One browser = one ballot. '),
        'This browser has its own random voter id, so it can vote once in this round. ',
        round.allow_revote
          ? 'Voting again replaces your earlier ballot until the round closes.'
          : 'Your vote cannot be changed once cast.',
      );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = ballot.problem();
    if (problem) {
      replace(status, notice('error', problem));
      status.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Sending…';
    try {
      // An invited round knows its voters by their code (it ignores X-Voter-Id); others by the
      // browser's voter id.
      const who: Record<string, string> = invited
        ? { 'x-invitation-code': code ?? '' }
        : { 'x-voter-id': voterId() };
      const accepted = await postJson<VoteAccepted>(
        endpoints.vote('/vote'),
        { round_id: round.round_id, ...ballot.value() },
        who,
      );
      rememberReceipt(round.round_id, accepted.receipt, round.name);
      replace(status, thanks(accepted, round));
      if (round.allow_revote) submit.textContent = 'Change my vote';
      else {
        form.remove();
        code = null;
      }
    } catch (error) {
      replace(status, refusal(error, round));
      if (error instanceof ApiError && FINAL_REFUSALS.includes(error.code)) {
        form.remove();
        code = null;
        // "You are invited" would contradict the refusal under it.
        if (invited) intro.remove();
      }
    } finally {
      submit.disabled = false;
      if (submit.textContent === 'Sending…') submit.textContent = 'Cast my vote';
    }
    status.focus();
  });

  replace(
    root,
    ...header,
    intro,
    earlier ? earlierNotice(earlier, round, true) : null,
    form,
    status,
    results,
  );
});

/**
 * This browser voted in the round before. In an invited round that says nothing about the
 * invitation in hand (two people may share a device), so there it only informs.
 */
function earlierNotice(earlier: ReceiptEntry, round: RoundView, withCode: boolean): HTMLElement {
  const when = [
    `from this browser (${formatDateTime(earlier.at)}; receipt `,
    h('code', null, earlier.receipt),
    '). ',
  ];
  if (round.voters !== 'invited') {
    return notice(
      'warning',
      h('strong', null, 'You already voted here '),
      ...when,
      round.allow_revote
        ? 'Voting again replaces that ballot.'
        : 'A second ballot from this browser will not be accepted.',
    );
  }
  if (withCode) {
    return notice(
      'info',
      h('strong', null, 'A ballot was cast in this round '),
      ...when,
      'Each invitation is good for one ballot: another person’s invitation can still vote here.',
    );
  }
  return notice(
    'info',
    h('p', null, h('strong', null, 'You already voted in this round '), ...when),
    round.allow_revote
      ? h('p', null, 'To change your vote, open the link from your invitation again.')
      : null,
  );
}
