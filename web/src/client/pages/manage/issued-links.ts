import { h } from '../../lib/dom.ts';
import { t } from '../../lib/i18n.ts';
import { copyText } from '../../lib/share.ts';

/**
 * One issued link: who it is for, the whole link as text that wraps (a one-line field would
 * hide its end, the code, which is the only part that differs from one link to the next; and it
 * never widens a phone's page) and a Copy button.
 */
export function linkRow(label: string, url: string): HTMLElement {
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  return h(
    'li',
    { class: 'issued-link' },
    h(
      'div',
      { class: 'issued-head' },
      h('span', { class: 'issued-label', dir: 'auto' }, label),
      h(
        'button',
        {
          type: 'button',
          class: 'button secondary',
          'aria-label': t('issue.copyFor', { label }),
          onclick: async () => {
            status.textContent = t((await copyWhole(url)) ? 'copy.done' : 'copy.byHand');
            window.setTimeout(() => {
              status.textContent = '';
            }, 3000);
          },
        },
        t('copy.button'),
      ),
    ),
    h('code', { class: 'issued-url' }, url),
    status,
  );
}

/** Copies `text`; without the clipboard API (plain http), through a field holding it. */
export async function copyWhole(text: string): Promise<boolean> {
  const holder = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true' });
  holder.value = text;
  document.body.append(holder);
  try {
    return await copyText(text, holder);
  } finally {
    holder.remove();
  }
}

let unsaved = 0;
const warn = (event: BeforeUnloadEvent) => {
  event.preventDefault();
  // Older browsers show the dialog only when returnValue is set.
  event.returnValue = '';
};

/**
 * While issued links are neither downloaded nor copied, leaving the page asks first: they cannot
 * be shown again, and a lost batch means revoking and issuing it anew.
 */
export function unsavedGuard(): { saved(): void } {
  let pending = true;
  unsaved += 1;
  if (unsaved === 1) window.addEventListener('beforeunload', warn);
  return {
    saved: () => {
      if (!pending) return;
      pending = false;
      unsaved -= 1;
      if (unsaved === 0) window.removeEventListener('beforeunload', warn);
    },
  };
}
