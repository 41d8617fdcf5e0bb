import { checkLabels, isBlank, isMethod, METHOD_TRAITS, METHODS } from '@voting/domain';
import { type CreatedRound, postJson } from '../lib/api.ts';
import { h, liveRegion, notice, replace } from '../lib/dom.ts';
import { explain, runPage, setTitle } from '../lib/page.ts';
import { rememberAdminToken } from '../lib/storage.ts';
import { audienceFields } from './create/audience.ts';
import { showCreated } from './create/created.ts';
import { MAX_OPTIONS, optionEditor } from './create/options.ts';

runPage(async (endpoints, root) => {
  setTitle('Create a round');
  const errors = h('div', { class: 'form-errors', tabindex: -1 });
  const announcer = liveRegion();
  const name = h('input', {
    id: 'round-name',
    name: 'name',
    type: 'text',
    maxlength: 200,
    placeholder: 'e.g. Where shall we have lunch?',
    autocomplete: 'off',
  });
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
  const options = optionEditor(announcer, (count) => {
    maxInput.placeholder = String(count);
  });
  const audience = audienceFields();
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
      options.list,
      h(
        'button',
        { type: 'button', class: 'button secondary', onclick: () => options.add('', true) },
        '+ Add an option',
      ),
    ),
    methodFieldset,
    ...audience.fieldsets,
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
    const labels = options.labels();
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
      ...audience.value(),
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
      rememberAdminToken(created.round_id, {
        token: created.admin_token,
        name: created.name,
        voters: created.voters,
        listed: created.listed,
      });
      showCreated(endpoints, root, created);
    } catch (error) {
      showErrors(errors, [explain(error)]);
      submit.disabled = false;
      submit.textContent = 'Create the round';
    }
  });

  options.add();
  options.add();
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
