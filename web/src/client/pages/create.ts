import { checkText, isBlank, isMethod, METHOD_TRAITS, METHODS } from '@voting/domain';
import { type CreatedRound, postJson } from '../lib/api.ts';
import { h, liveRegion, replace } from '../lib/dom.ts';
import { clearFieldErrors } from '../lib/field-errors.ts';
import { labelProblems, type Problem, showProblems } from '../lib/form-problems.ts';
import { type MessageKey, t } from '../lib/i18n.ts';
import { methodName, methodSummary } from '../lib/methods.ts';
import { explain, runPage, setTitle } from '../lib/page.ts';
import { rememberAdminToken } from '../lib/storage.ts';
import { audienceFields } from './create/audience.ts';
import { showCreated } from './create/created.ts';
import { MAX_OPTIONS, optionEditor } from './create/options.ts';
import { scheduleFields } from './create/schedule.ts';

runPage(async (endpoints, root) => {
  setTitle(t('create.heading'));
  const errors = h('div', { class: 'form-errors', tabindex: -1 });
  const announcer = liveRegion();
  const name = h('input', {
    id: 'round-name',
    name: 'name',
    type: 'text',
    maxlength: 200,
    placeholder: t('create.namePlaceholder'),
    autocomplete: 'off',
    dir: 'auto',
  });
  const number = (id: string) =>
    h('input', { id, type: 'number', min: 1, max: MAX_OPTIONS, inputmode: 'numeric' });
  const minInput = number('min-choices');
  minInput.value = '1';
  const maxInput = number('max-choices');
  const options = optionEditor(announcer, (count) => {
    maxInput.placeholder = String(count);
  });
  const audience = audienceFields();
  const approvalLimits = h(
    'div',
    { class: 'approval-limits', hidden: true },
    h(
      'div',
      { class: 'field inline' },
      h('label', { for: 'min-choices' }, t('create.atLeast')),
      minInput,
    ),
    h(
      'div',
      { class: 'field inline' },
      h('label', { for: 'max-choices' }, t('create.atMost')),
      maxInput,
    ),
    h('p', { class: 'hint' }, t('create.limitsHint')),
  );

  const methodFieldset = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, t('create.method')),
    METHODS.map((value, index) => {
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
        h('label', { for: id }, methodName(value)),
        h('p', { class: 'hint', id: `${id}-hint` }, methodSummary(value)),
      );
    }),
    approvalLimits,
  );

  const schedule = scheduleFields();
  const revote = h('input', { id: 'allow-revote', type: 'checkbox' });
  const shuffle = h('input', {
    id: 'shuffle-options',
    type: 'checkbox',
    'aria-describedby': 'shuffle-options-hint',
  });
  const publicBallots = h('input', { id: 'public-ballots', type: 'checkbox' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('create.submit'));
  const radio = (group: string, value: string, label: MessageKey, checked = false) =>
    h(
      'div',
      { class: 'choice' },
      h('input', { type: 'radio', name: group, id: `${group}-${value}`, value, checked }),
      h('label', { for: `${group}-${value}` }, t(label)),
    );
  const checkbox = (input: HTMLInputElement, label: MessageKey) =>
    h('div', { class: 'choice' }, input, h('label', { for: input.id }, t(label)));

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    errors,
    h('div', { class: 'field' }, h('label', { for: 'round-name' }, t('create.name')), name),
    h(
      'fieldset',
      null,
      h('legend', null, t('create.options')),
      options.list,
      h(
        'button',
        { type: 'button', class: 'button secondary', onclick: () => options.add('', true) },
        t('create.addOption'),
      ),
      h(
        'div',
        { class: 'choice' },
        shuffle,
        h('label', { for: shuffle.id }, t('create.shuffle')),
        h('p', { class: 'hint', id: 'shuffle-options-hint' }, t('create.shuffleHint')),
      ),
    ),
    methodFieldset,
    ...audience.fieldsets,
    h(
      'fieldset',
      { class: 'choices' },
      h('legend', null, t('create.resultsWho')),
      radio('results', 'live', 'create.resultsLive', true),
      radio('results', 'after_close', 'create.resultsAfter'),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, t('create.more')),
      checkbox(revote, 'create.revote'),
      checkbox(publicBallots, 'create.publicBallots'),
      ...schedule.fields,
    ),
    submit,
    announcer,
  );

  /** The options' own problems, each on its field: the domain's text rules, asked before sending. */
  const optionProblems = (): Problem[] => {
    const inputs = options.inputs();
    const problems: Problem[] = [];
    if (inputs.filter((input) => !isBlank(input.value)).length < 2) {
      const control = inputs.find((input) => isBlank(input.value)) ?? inputs[0] ?? name;
      problems.push({ message: t('create.twoOptions'), control });
    }
    return [...problems, ...labelProblems(inputs)];
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const problems = optionProblems();
    const filled = options
      .inputs()
      .map((input) => input.value.trim())
      .filter((label) => !isBlank(label));
    const checked = (form.querySelector('input[name=method]:checked') as HTMLInputElement).value;
    const method = isMethod(checked) ? checked : 'plurality';
    const body: Record<string, unknown> = {
      options: filled,
      method,
      results: (form.querySelector('input[name=results]:checked') as HTMLInputElement).value,
      allow_revote: revote.checked,
      shuffle_options: shuffle.checked,
      public_ballots: publicBallots.checked,
      ...audience.value(),
    };
    const named = checkText(name.value, 'name');
    if (!named.ok) problems.unshift({ message: t('create.nameInvalid'), control: name });
    else if (named.text) body.name = named.text;
    if (METHOD_TRAITS[method].choiceLimits) {
      const min = Number(minInput.value || 1);
      const max = maxInput.value ? Number(maxInput.value) : filled.length;
      if (!(min >= 1 && min <= max && max <= filled.length)) {
        problems.push({ message: t('create.limits', { count: filled.length }), control: minInput });
      }
      body.min_choices = min;
      body.max_choices = max;
    }
    problems.push(...schedule.problems());
    Object.assign(body, schedule.value());
    if (problems.length > 0) {
      showProblems(errors, problems);
      return;
    }
    submit.disabled = true;
    submit.textContent = t('create.creating');
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
      showProblems(errors, [{ message: explain(error), control: submit }]);
      submit.disabled = false;
      submit.textContent = t('create.submit');
    }
  });

  options.add();
  options.add();
  replace(
    root,
    h('h1', null, t('create.heading')),
    h('p', { class: 'lead' }, t('create.lead')),
    form,
  );
});
