import { checkText, isBlank, labelKey } from '@voting/domain';
import { h, notice, replace } from './dom.ts';
import { showFieldError } from './field-errors.ts';
import { type MessageKey, t } from './i18n.ts';

/**
 * The forms that write a round's words (create, and the manage page's edit) check them alike,
 * before sending, by the domain's own text rules, and show each problem on its field.
 */

/** A problem with a form, and the control it is about. */
export interface Problem {
  message: string;
  control: HTMLElement;
}

const TEXT_REFUSALS: Record<string, MessageKey> = {
  forbidden_character: 'create.optionForbidden',
  too_long: 'create.optionTooLong',
};

/**
 * The filled option fields' problems: a control character or too long a text, or the same
 * label as an earlier option (capitals, spaces and invisible characters do not count). Blank
 * fields are the caller's to judge (create skips them, an edit refuses them).
 */
export function labelProblems(inputs: readonly HTMLInputElement[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const [index, input] of inputs.entries()) {
    if (isBlank(input.value)) continue;
    const n = index + 1;
    const checked = checkText(input.value, `option ${n}`);
    if (!checked.ok) {
      const key = TEXT_REFUSALS[checked.reason] ?? 'create.optionForbidden';
      problems.push({ message: t(key, { n, max: 200 }), control: input });
      continue;
    }
    const earlier = seen.get(labelKey(checked.text));
    if (earlier !== undefined) {
      problems.push({
        message: t('create.optionDuplicate', { n, first: earlier }),
        control: input,
      });
    } else seen.set(labelKey(checked.text), n);
  }
  return problems;
}

/**
 * A summary at the top (focused, so it is read at once), each line a link to its field, and
 * each error again under its field, tied to it.
 */
export function showProblems(container: HTMLElement, problems: Problem[]): void {
  for (const { message, control } of problems) {
    if (!(control instanceof HTMLInputElement)) continue;
    // An option's error goes under its whole row (field and buttons), not between them.
    const row = control.classList.contains('option-input') ? control.parentElement : null;
    showFieldError(control, message, row?.lastElementChild ?? undefined);
  }
  replace(
    container,
    notice(
      'error',
      h('p', null, h('strong', null, t('create.check'))),
      h(
        'ul',
        null,
        problems.map(({ message, control }) =>
          h(
            'li',
            null,
            control instanceof HTMLInputElement
              ? h(
                  'a',
                  {
                    href: `#${control.id}`,
                    onclick: (event: Event) => {
                      event.preventDefault();
                      control.focus();
                    },
                  },
                  message,
                )
              : message,
          ),
        ),
      ),
    ),
  );
  container.focus();
}
