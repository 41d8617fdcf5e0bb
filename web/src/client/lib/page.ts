import { ApiError } from './api.ts';
import { type Endpoints, loadEndpoints } from './config.ts';
import { h, main, notice, replace } from './dom.ts';

/** Runs a page: finds the endpoints, renders, and shows any failure in plain words. */
export function runPage(render: (endpoints: Endpoints, root: HTMLElement) => Promise<void>): void {
  const root = main();
  loadEndpoints()
    .then((endpoints) => render(endpoints, root))
    .catch((error: unknown) => {
      replace(root, h('h1', null, 'Something went wrong'), notice('error', explain(error)));
    });
}

/** A failure in words a voter can act on. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'network':
        return 'The server could not be reached. Check your connection and try again.';
      case 'round_not_found':
        return 'There is no such round. Check the link you were given.';
      case 'invalid_request':
        return 'This link does not point to a round. Check the link you were given.';
      case 'database_unavailable':
        return 'The service is having trouble right now. Please try again in a moment.';
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

export function setTitle(text: string): void {
  document.title = `${text} · Votes`;
}

/** After a page replaced its content: start keyboard and screen-reader users at its heading. */
export function focusHeading(root: HTMLElement): void {
  root.querySelector<HTMLElement>('h1')?.setAttribute('tabindex', '-1');
  root.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}
