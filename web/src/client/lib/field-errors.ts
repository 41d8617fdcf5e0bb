import { h } from './dom.ts';

/**
 * An error shown under the field it is about and tied to it (`aria-invalid`,
 * `aria-describedby`), so a screen reader says it on reaching the field, not only in a summary.
 * `after` is where it goes (the field's own wrapper, say); by default right after the control.
 */
export function showFieldError(control: HTMLElement, message: string, after?: Element): void {
  const id = `${control.id}-error`;
  document.getElementById(id)?.remove();
  (after ?? control).after(h('p', { class: 'field-error', id }, message));
  control.setAttribute('aria-invalid', 'true');
  const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  control.setAttribute('aria-describedby', [id, ...described.filter((d) => d !== id)].join(' '));
}

/** Takes every field error out of `scope`, and the controls' ties to them. */
export function clearFieldErrors(scope: Element): void {
  for (const error of scope.querySelectorAll('.field-error')) error.remove();
  for (const control of scope.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    const kept = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && !id.endsWith('-error'));
    if (kept.length > 0) control.setAttribute('aria-describedby', kept.join(' '));
    else control.removeAttribute('aria-describedby');
  }
}
