import { METHOD_TRAITS } from '@voting/domain';
import { ApiError, getJson, postJson, type RoundView, type VoteAccepted } from '../lib/api.ts';
import { roundIdFromLocation } from '../lib/config.ts';
import { formatDateTime, h, notice, replace } from '../lib/dom.ts';
import { explain, runPage, setTitle } from '../lib/page.ts';
import { rankingList } from '../lib/ranking.ts';
import { receipt, rememberReceipt, voterId } from '../lib/storage.ts';

runPage(async (endpoints, root) => {
  const roundId = roundIdFromLocation();
  const round = await getJson<RoundView>(endpoints.vote(`/rounds/${roundId}/definition`));
  setTitle(round.name);
  const resultsLink = endpoints.page(`r/${round.round_id}/results`);
  const status = h('div', { class: 'vote-status', tabindex: -1 });
  const earlier = receipt(round.round_id);

  const header = [
    h('h1', null, round.name),
    h(
      'p',
      { class: 'meta' },
      METHOD_TRAITS[round.method].name,
      round.status === 'open' && round.closes_at
        ? ` · closes ${formatDateTime(round.closes_at)}`
        : null,
    ),
  ];

  if (round.status === 'closed') {
    replace(
      root,
      ...header,
      closedNotice(round.closed_at),
      h('p', null, h('a', { href: resultsLink }, 'See the results')),
    );
    return;
  }

  const ballot = ballotFor(round);
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Cast my vote');
  const form = h('form', { class: 'stack ballot', novalidate: true }, ballot.fieldset, submit);

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
      const accepted = await postJson<VoteAccepted>(
        endpoints.vote('/vote'),
        { round_id: round.round_id, ...ballot.value() },
        { 'x-voter-id': voterId() },
      );
      rememberReceipt(round.round_id, accepted.receipt);
      replace(status, thanks(accepted, round));
      if (round.allow_revote) submit.textContent = 'Change my vote';
      else form.remove();
    } catch (error) {
      replace(status, refusal(error, round));
      if (error instanceof ApiError && ['round_closed', 'duplicate_vote'].includes(error.code)) {
        form.remove();
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
    h(
      'p',
      { class: 'notice notice-info one-ballot' },
      h('strong', null, 'One browser = one ballot. '),
      'This browser has its own random voter id, so it can vote once in this round. ',
      round.allow_revote
        ? 'Voting again replaces your earlier ballot until the round closes.'
        : 'Your vote cannot be changed once cast.',
    ),
    earlier
      ? notice(
          'warning',
          h('strong', null, 'You already voted here '),
          `from this browser (${formatDateTime(earlier.at)}; receipt `,
          h('code', null, earlier.receipt),
          '). ',
          round.allow_revote
            ? 'Voting again replaces that ballot.'
            : 'A second ballot from this browser will not be accepted.',
        )
      : null,
    form,
    status,
    h('p', null, h('a', { href: resultsLink }, 'See the results')),
  );
});

interface Ballot {
  fieldset: HTMLElement;
  /** What is wrong with the ballot as filled in, or null when it can be sent. */
  problem(): string | null;
  value(): Record<string, unknown>;
}

function ballotFor(round: RoundView): Ballot {
  switch (METHOD_TRAITS[round.method].ballotField) {
    case 'option_id':
      return pickOne(round);
    case 'option_ids':
      return pickSome(round);
    case 'ranking':
      return rank(round);
  }
}

function pickOne(round: RoundView): Ballot {
  const fieldset = h(
    'fieldset',
    { class: 'choices big' },
    h('legend', null, 'Choose one option'),
    round.options.map((option) => {
      const id = `option-${option.option_id}`;
      return h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'option', id, value: option.option_id }),
        h('label', { for: id }, option.label),
      );
    }),
  );
  const checked = () => fieldset.querySelector<HTMLInputElement>('input:checked');
  return {
    fieldset,
    problem: () => (checked() ? null : 'Choose an option first.'),
    value: () => ({ option_id: Number(checked()?.value) }),
  };
}

function pickSome(round: RoundView): Ballot {
  const min = round.min_choices ?? 1;
  const max = round.max_choices ?? round.options.length;
  const rule =
    min === max
      ? `Choose exactly ${min}`
      : max >= round.options.length
        ? `Choose at least ${min}`
        : `Choose ${min} to ${max}`;
  const counter = h('p', { class: 'hint', id: 'choice-count', 'aria-live': 'polite' });
  const boxes: HTMLInputElement[] = [];
  const update = () => {
    const chosen = boxes.filter((box) => box.checked).length;
    // At the limit, the unticked boxes are disabled so the limit cannot be overstepped.
    for (const box of boxes) box.disabled = !box.checked && chosen >= max;
    counter.textContent = `${chosen} chosen${chosen >= max ? ' (the most you may choose)' : ''}.`;
  };
  const fieldset = h(
    'fieldset',
    { class: 'choices big', 'aria-describedby': 'choice-count' },
    h('legend', null, `${rule} ${min === 1 && max === 1 ? 'option' : 'options'}`),
    round.options.map((option) => {
      const id = `option-${option.option_id}`;
      const box = h('input', {
        type: 'checkbox',
        name: 'options',
        id,
        value: option.option_id,
        onchange: update,
      });
      boxes.push(box);
      return h('div', { class: 'choice' }, box, h('label', { for: id }, option.label));
    }),
    counter,
  );
  update();
  const chosen = () => boxes.filter((box) => box.checked).map((box) => Number(box.value));
  return {
    fieldset,
    problem: () => {
      const count = chosen().length;
      if (count < min) return `Choose at least ${min} (you chose ${count}).`;
      if (count > max) return `Choose at most ${max} (you chose ${count}).`;
      return null;
    },
    value: () => ({ option_ids: chosen() }),
  };
}

function rank(round: RoundView): Ballot {
  const help = h(
    'p',
    { class: 'hint', id: 'ranking-help' },
    'Put the options in your order of preference, your favourite at the top: drag them by the ⠿ grip, or use the ↑ and ↓ buttons (arrow keys work on them too).',
  );
  const list = rankingList(round.options, 'ranking-help');
  const fieldset = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, 'Rank the options'),
    help,
    list.element,
  );
  return { fieldset, problem: () => null, value: () => ({ ranking: list.order() }) };
}

function thanks(accepted: VoteAccepted, round: RoundView): HTMLElement {
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

function refusal(error: unknown, round: RoundView): HTMLElement {
  if (error instanceof ApiError) {
    if (error.code === 'duplicate_vote') {
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
    if (error.code === 'round_closed') return closedNotice(null);
    if (error.code === 'invalid_ballot' || error.code === 'option_not_found') {
      return notice('error', `Your ballot was not accepted: ${error.message}.`);
    }
  }
  return notice('error', `Your vote was not recorded. ${explain(error)}`);
}

function closedNotice(closedAt: string | null): HTMLElement {
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
