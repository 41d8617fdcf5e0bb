import { ApiError } from './api.ts';
import { type Endpoints, loadEndpoints } from './config.ts';
import { h, main, notice, replace } from './dom.ts';
import { LANGUAGES, type Language, language, type MessageKey, setLanguage, t } from './i18n.ts';

/** What a page draws; it may resolve to what to stop (a live stream) before it is drawn again. */
type Render = (endpoints: Endpoints, root: HTMLElement) => Promise<unknown>;

export interface PageOptions {
  /**
   * How a language switch redraws the page: `rerender` (the default) draws it again in place,
   * which keeps what lives only in memory (an invitation code); `reload` loads it again, so
   * the page's own "leave this page?" guard still protects what cannot be drawn again (links
   * just issued).
   */
  onLanguageChange?: 'rerender' | 'reload';
}

/** Runs a page: finds the endpoints, renders, and shows any failure in plain words. */
export function runPage(render: Render, options: PageOptions = {}): void {
  const root = main();
  let stop: (() => void) | undefined;
  let endpoints: Endpoints | null = null;
  const draw = () => {
    stop?.();
    stop = undefined;
    const ready = endpoints ? Promise.resolve(endpoints) : loadEndpoints();
    ready
      .then(async (found) => {
        endpoints = found;
        const drawn = await render(found, root);
        stop = typeof drawn === 'function' ? (drawn as () => void) : undefined;
      })
      .catch((error: unknown) => {
        replace(root, h('h1', null, t('page.failed')), notice('error', explain(error)));
      });
  };
  const switched = (next: Language) => {
    setLanguage(next);
    if (options.onLanguageChange === 'reload') {
      window.location.reload();
      return;
    }
    translateShell(switched);
    draw();
  };
  translateShell(switched);
  draw();
}

/**
 * The page shell (build.ts) is written in English for the moment before the script runs; this
 * puts it in the chosen language, with the language switch in the header (made once, so the
 * button just pressed keeps the focus).
 */
function translateShell(switched: (next: Language) => void): void {
  document.documentElement.lang = language();
  const text = (selector: string, key: MessageKey) => {
    const element = document.querySelector(selector);
    if (element) element.textContent = t(key);
  };
  text('.skip', 'shell.skip');
  text('header.site nav a', 'shell.create');
  document.querySelector('header.site nav')?.setAttribute('aria-label', t('shell.site'));
  let group = document.querySelector('.language-switch');
  if (!group) {
    group = h(
      'div',
      { class: 'language-switch', role: 'group' },
      (Object.keys(LANGUAGES) as Language[]).map((code) =>
        h(
          'button',
          {
            type: 'button',
            lang: code,
            onclick: () => {
              if (code !== language()) switched(code);
            },
          },
          LANGUAGES[code],
        ),
      ),
    );
    document.querySelector('header.site')?.append(group);
  }
  group.setAttribute('aria-label', t('shell.language'));
  for (const button of group.querySelectorAll('button')) {
    button.setAttribute('aria-pressed', String(button.lang === language()));
  }
}

/** A failure in words a voter can act on. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'network':
        return t('error.network');
      case 'origin_refused':
        return t('error.originRefused', { api: error.message, page: window.location.origin });
      case 'round_not_found':
        return t('error.roundNotFound');
      case 'invalid_request':
        return t('error.invalidRequest');
      case 'database_unavailable':
      case 'shutting_down':
        return t('error.unavailable');
      case 'rate_limited':
        return t('error.rateLimited');
      default:
        return t('error.server', { message: error.message });
    }
  }
  return error instanceof Error ? error.message : String(error);
}

export function setTitle(text: string): void {
  document.title = t('page.title', { name: text });
}

/** After a page replaced its content: start keyboard and screen-reader users at its heading. */
export function focusHeading(root: HTMLElement): void {
  root.querySelector<HTMLElement>('h1')?.setAttribute('tabindex', '-1');
  root.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}
