import { pagesRoot } from '../lib/config.ts';
import { h, replace } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { joinForm } from '../lib/join-form.ts';
import { focusHeading, runPage } from '../lib/page.ts';

/**
 * What `/j/:code` shows (as a 404) when the code leads to no round: a person typed that address,
 * so the page says so in words and offers the field to type the code again, filled in with what
 * was typed and already saying what is wrong with it. A code that leads somewhere never gets
 * here: the vote service redirects it to the round's voting page.
 */
runPage(async (endpoints, root) => {
  document.title = t('join.title');
  replace(
    root,
    h('h1', null, t('join.heading')),
    h('p', { class: 'lead' }, t('join.lead')),
    h('section', { class: 'card' }, joinForm(endpoints, typedCode(), true)),
    h('p', { class: 'page-links' }, h('a', { href: endpoints.page('') }, t('join.home'))),
  );
  focusHeading(root);
});

/** The code in the address, `<root>j/<code>`, as typed (nothing if it cannot be read). */
function typedCode(): string {
  const relative = window.location.pathname.slice(pagesRoot.pathname.length).replace(/^\/+/, '');
  try {
    return decodeURIComponent(relative.split('/')[1] ?? '').slice(0, 40);
  } catch {
    return '';
  }
}
