import { checkLabels, isBlank, isMethod, METHOD_TRAITS, METHODS } from '@voting/domain';
import { type CreatedRound, postJson } from '../lib/api.ts';
import type { Endpoints } from '../lib/config.ts';
import { h, liveRegion, notice, replace, uid } from '../lib/dom.ts';
import { explain, focusHeading, runPage, setTitle } from '../lib/page.ts';
import { copyField, qrCode } from '../lib/share.ts';
import { rememberAdminToken } from '../lib/storage.ts';

const MAX_OPTIONS = 100;

runPage(async (endpoints, root) => {
  setTitle('Create a round');
  const errors = h('div', { class: 'form-errors', tabindex: -1 });
  const announcer = liveRegion();
  const optionList = h('ol', { class: 'option-list' });

  const name = h('input', {
    id: 'round-name',
    name: 'name',
    type: 'text',
    maxlength: 200,
    placeholder: 'e.g. Where shall we have lunch?',
    autocomplete: 'off',
  });

  function optionRows(): HTMLLIElement[] {
    return Array.from(optionList.children) as HTMLLIElement[];
  }

  function renumber(): void {
    optionRows().forEach((row, index) => {
      const n = index + 1;
      const label = row.querySelector('label');
      if (label) label.textContent = `Option ${n}`;
      row.querySelector('.move-up')?.setAttribute('aria-label', `Move option ${n} up`);
      row.querySelector('.move-down')?.setAttribute('aria-label', `Move option ${n} down`);
      row.querySelector('.remove')?.setAttribute('aria-label', `Remove option ${n}`);
    });
    maxInput.placeholder = String(optionRows().length);
  }

  function addOption(value = '', focus = false): void {
    if (optionRows().length >= MAX_OPTIONS) {
      announcer.textContent = `A round has at most ${MAX_OPTIONS} options.`;
      return;
    }
    const id = uid('option');
    const input = h('input', {
      id,
      type: 'text',
      maxlength: 200,
      value,
      class: 'option-input',
      autocomplete: 'off',
      onkeydown: (event: Event) => {
        // Enter adds the next option rather than submitting a half-filled form.
        if ((event as KeyboardEvent).key !== 'Enter') return;
        event.preventDefault();
        const rows = optionRows();
        if (rows.at(-1) === row) addOption('', true);
        else rows[rows.indexOf(row) + 1]?.querySelector('input')?.focus();
      },
    });
    const row: HTMLLIElement = h(
      'li',
      { class: 'option-row' },
      h('label', { for: id, class: 'option-label' }),
      input,
      h(
        'span',
        { class: 'moves' },
        h(
          'button',
          { type: 'button', class: 'icon-button move-up', onclick: () => moveOption(row, -1) },
          h('span', { 'aria-hidden': 'true' }, '↑'),
        ),
        h(
          'button',
          { type: 'button', class: 'icon-button move-down', onclick: () => moveOption(row, 1) },
          h('span', { 'aria-hidden': 'true' }, '↓'),
        ),
        h(
          'button',
          { type: 'button', class: 'icon-button remove', onclick: () => removeOption(row) },
          h('span', { 'aria-hidden': 'true' }, '✕'),
        ),
      ),
    );
    optionList.append(row);
    renumber();
    if (focus) {
      input.focus();
      announcer.textContent = `Option ${optionRows().length} added.`;
    }
  }

  function moveOption(row: HTMLLIElement, delta: -1 | 1): void {
    const rows = optionRows();
    const index = rows.indexOf(row);
    const other = rows[index + delta];
    if (!other) {
      announcer.textContent = `Option ${index + 1} is already ${delta < 0 ? 'first' : 'last'}.`;
      return;
    }
    optionList.insertBefore(row, delta < 0 ? other : other.nextSibling);
    renumber();
    row.querySelector<HTMLButtonElement>(delta < 0 ? '.move-up' : '.move-down')?.focus();
    announcer.textContent = `Moved to position ${index + 1 + delta}.`;
  }

  function removeOption(row: HTMLLIElement): void {
    const rows = optionRows();
    if (rows.length <= 2) {
      announcer.textContent = 'A round needs at least two options.';
      return;
    }
    const index = rows.indexOf(row);
    row.remove();
    renumber();
    const next = optionRows()[Math.min(index, optionRows().length - 1)];
    next?.querySelector('input')?.focus();
    announcer.textContent = `Option removed; ${optionRows().length} left.`;
  }

  const minInput = h('input', {
    id: 'min-choices',
    type: 'number',
    min: 1,
    max: MAX_OPTIONS,
    value: 1,
    inputmode: 'numeric',
  });
  const maxInput = h('input', {
    id: 'max-choices',
    type: 'number',
    min: 1,
    max: MAX_OPTIONS,
    inputmode: 'numeric',
  });
  const approvalLimits = h(
    'div',
    { class: 'approval-limits', hidden: true },
    h('div', { class: 'field inline' }, h('label', { for: 'min-choices' }, 'At least'), minInput),
    h('div', { class: 'field inline' }, h('label', { for: 'max-choices' }, 'At most'), maxInput),
    h('p', { class: 'hint' }, 'How many options a voter must and may tick. Empty = any number.'),
  );

  const methodFieldset = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, 'How do people vote?'),
    METHODS.map((value, index) => {
      const { name, summary } = METHOD_TRAITS[value];
      const id = `method-${value}`;
      return h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'method',
          id,
          value,
          checked: index === 0,
          'aria-describedby': `${id}-hint`,
          onchange: () => {
            approvalLimits.hidden = !METHOD_TRAITS[value].choiceLimits;
          },
        }),
        h('label', { for: id }, name),
        h('p', { class: 'hint', id: `${id}-hint` }, summary),
      );
    }),
    approvalLimits,
  );

  const closesAt = h('input', { id: 'closes-at', type: 'datetime-local' });
  const revote = h('input', { id: 'allow-revote', type: 'checkbox' });
  const publicBallots = h('input', { id: 'public-ballots', type: 'checkbox' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Create the round');

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    errors,
    h('div', { class: 'field' }, h('label', { for: 'round-name' }, 'Question or name'), name),
    h(
      'fieldset',
      null,
      h('legend', null, 'Options'),
      optionList,
      h(
        'button',
        { type: 'button', class: 'button secondary', onclick: () => addOption('', true) },
        '+ Add an option',
      ),
    ),
    methodFieldset,
    h(
      'fieldset',
      { class: 'choices' },
      h('legend', null, 'Who sees the results, and when?'),
      h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'results',
          id: 'results-live',
          value: 'live',
          checked: true,
        }),
        h('label', { for: 'results-live' }, 'Everyone, live while people vote'),
      ),
      h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'results', id: 'results-after', value: 'after_close' }),
        h('label', { for: 'results-after' }, 'Everyone, but only after the round closes'),
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'More settings'),
      h(
        'div',
        { class: 'choice' },
        revote,
        h('label', { for: 'allow-revote' }, 'Voters may change their vote until the round closes'),
      ),
      h(
        'div',
        { class: 'choice' },
        publicBallots,
        h('label', { for: 'public-ballots' }, 'Anyone may download the ballots while it is open'),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'closes-at' }, 'Close by itself at (optional)'),
        closesAt,
        h('p', { class: 'hint' }, 'Your local time. You can also close it by hand at any time.'),
      ),
    ),
    submit,
    announcer,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const labels = optionRows().map((row) => row.querySelector('input')?.value.trim() ?? '');
    const problems: [string, string][] = [];
    const filled = labels.filter((label) => !isBlank(label));
    if (filled.length < 2) problems.push(['Give at least two options.', 'option']);
    // The server's own rule (control characters, look-alike duplicates), asked before sending.
    const checkedLabels = checkLabels(filled);
    if (!checkedLabels.ok) problems.push([`${checkedLabels.message}.`, 'option']);
    const checked = (form.querySelector('input[name=method]:checked') as HTMLInputElement).value;
    const method = isMethod(checked) ? checked : 'plurality';
    const body: Record<string, unknown> = {
      options: filled,
      method,
      results: (form.querySelector('input[name=results]:checked') as HTMLInputElement).value,
      allow_revote: revote.checked,
      public_ballots: publicBallots.checked,
    };
    if (name.value.trim()) body.name = name.value.trim();
    if (METHOD_TRAITS[method].choiceLimits) {
      const min = Number(minInput.value || 1);
      const max = maxInput.value ? Number(maxInput.value) : filled.length;
      if (!(min >= 1 && min <= max && max <= filled.length)) {
        problems.push([
          `For approval, “at least” and “at most” must be between 1 and ${filled.length} (the number of options).`,
          'min-choices',
        ]);
      }
      body.min_choices = min;
      body.max_choices = max;
    }
    if (closesAt.value) {
      const when = new Date(closesAt.value);
      if (Number.isNaN(when.getTime()) || when.getTime() <= Date.now()) {
        problems.push(['The closing time must be in the future.', 'closes-at']);
      }
      body.closes_at = when.toISOString();
    }
    if (problems.length > 0) {
      showErrors(
        errors,
        problems.map(([message]) => message),
      );
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Creating…';
    try {
      const created = await postJson<CreatedRound>(endpoints.vote('/rounds'), body);
      rememberAdminToken(created.round_id, { token: created.admin_token, name: created.name });
      showCreated(endpoints, root, created);
    } catch (error) {
      showErrors(errors, [explain(error)]);
      submit.disabled = false;
      submit.textContent = 'Create the round';
    }
  });

  addOption();
  addOption();
  replace(
    root,
    h('h1', null, 'Create a round'),
    h('p', { class: 'lead' }, 'Ask a question, list the options, choose how people vote.'),
    form,
  );
});

function showErrors(container: HTMLElement, messages: string[]): void {
  replace(
    container,
    notice(
      'error',
      h('p', null, h('strong', null, 'Please check the form:')),
      h(
        'ul',
        null,
        messages.map((message) => h('li', null, message)),
      ),
    ),
  );
  container.focus();
}

function showCreated(endpoints: Endpoints, root: HTMLElement, round: CreatedRound): void {
  setTitle(round.name);
  const voteLink = endpoints.page(`r/${round.round_id}`);
  const resultsLink = endpoints.page(`r/${round.round_id}/results`);
  const manageLink = endpoints.page(`r/${round.round_id}/manage#token=${round.admin_token}`);
  replace(
    root,
    h('h1', null, `“${round.name}” is open for votes`),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'share-heading' },
      h('h2', { id: 'share-heading' }, 'Share it with the voters'),
      h(
        'div',
        { class: 'share' },
        h(
          'div',
          { class: 'share-links' },
          copyField('Voting link', voteLink),
          h('a', { class: 'button primary', href: voteLink }, 'Open the ballot'),
        ),
        h(
          'figure',
          { class: 'qr-figure' },
          qrCode(voteLink, 'QR code of the voting link'),
          h('figcaption', null, 'Scan to vote'),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'results-heading' },
      h('h2', { id: 'results-heading' }, 'Watch the results'),
      copyField('Results link', resultsLink),
      h('a', { class: 'button secondary', href: resultsLink }, 'Open the results'),
    ),
    h(
      'section',
      { class: 'card card-warning', 'aria-labelledby': 'admin-heading' },
      h('h2', { id: 'admin-heading' }, 'Your admin link: keep it private'),
      h(
        'p',
        null,
        'Whoever has this link can close the round and download its ballots. It is shown only now; this browser keeps it too, under “Rounds you created here” on the home page.',
      ),
      copyField('Admin link', manageLink),
      h('a', { class: 'button secondary', href: manageLink }, 'Manage the round'),
    ),
  );
  focusHeading(root);
}
