import { ApiError, getJson, postJson, type RoundView, type VoteAccepted } from '../lib/api.ts';
import { type Endpoints, roundIdFromLocation } from '../lib/config.ts';
import { h, notice, replace } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { methodName } from '../lib/methods.ts';
import { runPage, setTitle } from '../lib/page.ts';
import { receipt, rememberReceipt, voterId } from '../lib/storage.ts';
import { ballotFor } from './vote/ballot.ts';
import {
  invitationInvalid,
  invitationRequired,
  invitedNotice,
  looksLikeCode,
  reloadOnNewCode,
  takeInvitationCode,
} from './vote/invitation.ts';
import {
  closedNotice,
  FINAL_REFUSALS,
  invitedEarlierNotice,
  refusal,
  thanks,
  yourBallot,
} from './vote/messages.ts';
import { drawAgainAtStart, scheduledView } from './vote/scheduled.ts';

// First, before any request: the invitation code leaves the address bar (vote/invitation.ts).
// In memory only, and forgotten once it can no longer serve.
let code = takeInvitationCode();
reloadOnNewCode();

runPage(async (endpoints, root) => {
  const roundId = roundIdFromLocation();
  const read = () => getJson<RoundView>(endpoints.vote(`/rounds/${roundId}/definition`));
  return drawPage(endpoints, root, await read(), read);
});

/** The page for the round as read; a scheduled one is read again when it opens. */
function drawPage(
  endpoints: Endpoints,
  root: HTMLElement,
  round: RoundView,
  read: () => Promise<RoundView>,
): (() => void) | undefined {
  setTitle(round.name);
  const invited = round.voters === 'invited';
  // A round open to anyone takes no code: one in its link is ignored, and nothing changes.
  if (!invited) code = null;
  const resultsLink = endpoints.page(`r/${round.round_id}/results`);
  const results = h('p', null, h('a', { href: resultsLink }, t('vote.seeResults')));
  const status = h('div', { class: 'vote-status', tabindex: -1 });
  const earlier = receipt(round.round_id);
  // In a round open to anyone this browser's ballot is its own: show it back (vote/messages.ts).
  const mine = earlier && !invited ? yourBallot(round, earlier, resultsLink) : null;

  const header = [
    h('h1', { dir: 'auto' }, round.name),
    h(
      'p',
      { class: 'meta' },
      methodName(round.method),
      invited ? ` · ${t('vote.invitedOnly')}` : null,
      round.status !== 'closed' && round.closes_at
        ? ` · ${t('vote.closes', { when: formatDateTime(round.closes_at) })}`
        : null,
    ),
  ];

  if (round.status === 'closed') {
    replace(root, ...header, closedNotice(round.closed_at), mine, mine ? null : results);
    return;
  }

  if (round.status === 'scheduled' && round.opens_at) {
    const scheduled = { ...round, opens_at: round.opens_at };
    replace(root, ...header, ...scheduledView(scheduled));
    return drawAgainAtStart(scheduled, read, (next) => drawPage(endpoints, root, next, read));
  }

  if (invited && (code === null || !looksLikeCode(code))) {
    // Without a usable code no ballot can be accepted: say so before anyone fills one in.
    const why =
      code !== null
        ? invitationInvalid()
        : earlier
          ? invitedEarlierNotice(earlier, round, false)
          : invitationRequired();
    code = null;
    replace(root, ...header, h('div', { class: 'vote-status' }, why), results);
    return;
  }

  if (mine && !round.allow_revote) {
    // Nothing to send: a second ballot from this browser would be refused.
    replace(root, ...header, mine);
    return;
  }

  const ballot = ballotFor(round);
  const castLabel = () => t(earlier && !invited ? 'vote.change' : 'vote.cast');
  const submit = h('button', { type: 'submit', class: 'button primary' }, castLabel());
  const form = h('form', { class: 'stack ballot', novalidate: true }, ballot.fieldset, submit);
  // A revote starts from the ballot as cast, not from an empty one.
  if (mine && earlier?.choices) ballot.restore(earlier.choices);

  const intro = invited
    ? invitedNotice(round.allow_revote)
    : h(
        'p',
        { class: 'notice notice-info one-ballot' },
        h('strong', null, t('vote.oneBrowser')),
        ' ',
        t('vote.oneBrowserWhy'),
        ' ',
        t(round.allow_revote ? 'vote.revoteReplaces' : 'vote.final'),
      );

  const problemId = 'ballot-problem';
  const describedBy = ballot.fieldset.getAttribute('aria-describedby');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = ballot.problem();
    if (problem) {
      // Tied to the ballot it is about, so a screen reader says it there too.
      replace(status, h('div', { id: problemId }, notice('error', problem)));
      ballot.fieldset.setAttribute('aria-describedby', [problemId, describedBy].join(' ').trim());
      status.focus();
      return;
    }
    if (describedBy) ballot.fieldset.setAttribute('aria-describedby', describedBy);
    else ballot.fieldset.removeAttribute('aria-describedby');
    submit.disabled = true;
    submit.textContent = t('vote.sending');
    const choices = ballot.choices();
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
      rememberReceipt(round.round_id, accepted.receipt, round.name, choices);
      mine?.remove();
      replace(status, thanks(accepted, round, choices));
      if (round.allow_revote) submit.textContent = t('vote.change');
      else {
        form.remove();
        code = null;
      }
    } catch (error) {
      replace(status, refusal(error, round));
      if (error instanceof ApiError && FINAL_REFUSALS.includes(error.code)) {
        form.remove();
        code = null;
        // "You are invited" or "one ballot" would contradict the refusal under it.
        intro.remove();
      }
    } finally {
      submit.disabled = false;
      if (submit.textContent === t('vote.sending')) submit.textContent = castLabel();
    }
    status.focus();
  });

  replace(
    root,
    ...header,
    intro,
    mine,
    invited && earlier ? invitedEarlierNotice(earlier, round, true) : null,
    form,
    status,
    results,
  );
  return undefined;
}
