import { checkText, isBlank } from '@voting/domain';
import { ApiError, type FullResult } from '../../lib/api.ts';
import { h, notice, replace } from '../../lib/dom.ts';
import { clearFieldErrors } from '../../lib/field-errors.ts';
import { labelProblems, type Problem, showProblems } from '../../lib/form-problems.ts';
import { t } from '../../lib/i18n.ts';
import { explain } from '../../lib/page.ts';
import { patchRound, type ReadAgain, type RoundControl } from './patch-round.ts';

type Mode = 'form' | 'locked' | 'closed';

/**
 * The question and the option labels, editable until the first ballot (the number of options and
 * their ids stay: a ballot names options by id). The round's ballot count says when it is too
 * late; the server has the last word, since a voter may cast the first ballot while the
 * organizer types (409 `round_has_ballots`), and then the page says so instead of the form.
 */
export function editRoundCard(roundUrl: string, token: string, readAgain: ReadAgain): RoundControl {
  const area = h('div', { class: 'edit-area', tabindex: -1 });
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'edit-heading' },
    h('h2', { id: 'edit-heading' }, t('edit.heading')),
    area,
  );
  let shownMode: Mode | null = null;
  let last: FullResult | null = null;
  // Once the server said "it has ballots" (or "closed"), it stays so, whatever a count that lags
  // behind the ballots says.
  let hasBallots = false;
  let closed = false;
  let votedWhileEditing = false;
  let form: ReturnType<typeof wordingForm> | null = null;

  /** Sends a change; on a 409 that ends the editing, shows why instead of the form. */
  const save = async (change: WordingChange): Promise<Wording | null> => {
    try {
      return await patchRound(roundUrl, token, change);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'round_has_ballots') {
        hasBallots = true;
        votedWhileEditing = true;
      } else if (error.code === 'round_closed') closed = true;
      else throw error;
      // The whole page is read again; if that fails, this card at least shows what it learnt.
      if (!(await readAgain()) && last) show(last);
      area.focus();
      return null;
    }
  };

  const show = (state: FullResult) => {
    last = state;
    if (state.total_ballots > 0) hasBallots = true;
    if (state.status === 'closed') closed = true;
    const mode: Mode = closed ? 'closed' : hasBallots ? 'locked' : 'form';
    if (mode === shownMode) {
      form?.offer(state);
      return;
    }
    shownMode = mode;
    form = null;
    if (mode === 'closed') replace(area, h('p', null, t('edit.lockedClosed')));
    else if (mode === 'locked') replace(area, lockedNotice(votedWhileEditing));
    else {
      form = wordingForm(state, save, readAgain);
      replace(area, h('p', { class: 'hint' }, t('edit.hint')), form.element);
    }
  };
  return { element, show };
}

/** Why the wording can no longer change: it has ballots (perhaps one cast during the edit). */
function lockedNotice(votedWhileEditing: boolean): HTMLElement {
  if (votedWhileEditing) {
    return notice(
      'warning',
      h('p', null, h('strong', null, t('edit.lockedRace'))),
      h('p', null, t('edit.locked'), ' ', t('edit.lockedWhy')),
    );
  }
  return notice(
    'info',
    h('p', null, h('strong', null, t('edit.locked')), ' ', t('edit.lockedWhy')),
  );
}

type WordingChange = { name?: string; options?: string[] };

interface Wording {
  name: string;
  options: readonly { label: string }[];
}

/**
 * The form, filled with the wording as stored. `save` sends a change and answers the round as
 * edited, or null when the card shows why it could not be (and the form is gone).
 */
function wordingForm(
  first: Wording,
  save: (change: WordingChange) => Promise<Wording | null>,
  readAgain: ReadAgain,
) {
  let stored: Wording = first;
  const errors = h('div', { class: 'form-errors', tabindex: -1 });
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const name = h('input', {
    id: 'edit-name',
    type: 'text',
    maxlength: 200,
    autocomplete: 'off',
    dir: 'auto',
    value: first.name,
  });
  const labels = first.options.map((option, index) =>
    h('input', {
      id: `edit-option-${index + 1}`,
      type: 'text',
      maxlength: 200,
      autocomplete: 'off',
      dir: 'auto',
      value: option.label,
    }),
  );
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('edit.save'));
  const form = h(
    'form',
    { class: 'stack edit-form', novalidate: true },
    errors,
    h('div', { class: 'field' }, h('label', { for: 'edit-name' }, t('create.name')), name),
    h(
      'fieldset',
      null,
      h('legend', null, t('create.options')),
      labels.map((input, index) =>
        h(
          'div',
          { class: 'field' },
          h('label', { for: input.id }, t('options.label', { n: index + 1 })),
          input,
        ),
      ),
    ),
    h('div', null, submit, status),
  );

  /** What the organizer typed differs from what was stored: theirs is not overwritten. */
  const typed = () =>
    name.value !== stored.name ||
    labels.some((input, i) => input.value !== stored.options[i]?.label);
  const fill = (wording: Wording) => {
    stored = wording;
    name.value = wording.name;
    for (const [i, input] of labels.entries()) input.value = wording.options[i]?.label ?? '';
  };

  const problems = (): Problem[] => {
    const found: Problem[] = [];
    const named = checkText(name.value, 'name');
    if (!named.ok) found.push({ message: t('create.nameInvalid'), control: name });
    else if (isBlank(name.value)) found.push({ message: t('edit.nameBlank'), control: name });
    for (const [index, input] of labels.entries()) {
      if (isBlank(input.value))
        found.push({ message: t('edit.optionBlank', { n: index + 1 }), control: input });
    }
    return [...found, ...labelProblems(labels)];
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    replace(errors);
    status.textContent = '';
    const found = problems();
    if (found.length > 0) {
      showProblems(errors, found);
      return;
    }
    // Sent as the server stores them (trimmed, NFC), so "unchanged" means what it will mean there.
    const newName = checkText(name.value, 'name');
    const newLabels = labels.map((input) => {
      const checked = checkText(input.value, 'option');
      return checked.ok ? checked.text : input.value;
    });
    const change: WordingChange = {};
    if (newName.ok && newName.text !== stored.name) change.name = newName.text;
    if (newLabels.some((label, i) => label !== stored.options[i]?.label))
      change.options = newLabels;
    if (Object.keys(change).length === 0) {
      status.textContent = t('edit.unchanged');
      return;
    }
    submit.disabled = true;
    submit.textContent = t('edit.saving');
    try {
      const edited = await save(change);
      if (!edited) return;
      fill(edited);
      status.textContent = t('edit.saved');
      await readAgain();
    } catch (error) {
      showProblems(errors, [
        { message: t('edit.failed', { why: explain(error) }), control: submit },
      ]);
    } finally {
      submit.disabled = false;
      submit.textContent = t('edit.save');
    }
  });

  return {
    element: form,
    /** The wording as read again: shown, unless the organizer is typing another. */
    offer: (wording: Wording) => {
      if (!typed()) fill(wording);
    },
  };
}
