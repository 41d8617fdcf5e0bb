/**
 * Every page: `name` is its script (src/client/pages/<name>.ts) and its shell
 * (dist/pages/<name>.html), `url` where the services serve it, `title` its heading. The build and
 * the server both read this one list.
 */
export const PAGES = [
  { name: 'home', url: '/', title: 'Votes' },
  { name: 'create', url: '/new', title: 'Create a round' },
  { name: 'vote', url: '/r/:id', title: 'Vote' },
  { name: 'results', url: '/r/:id/results', title: 'Results' },
  { name: 'manage', url: '/r/:id/manage', title: 'Manage a round' },
  // Full screen for a projector: the question, the QR code and join code, the live results.
  { name: 'present', url: '/r/:id/present', title: 'Present' },
  // What `/j/:code` shows for a code that leads nowhere (a 404); a code that leads somewhere is a
  // redirect. Only a service that can look codes up serves it (registerJoinPage).
  { name: 'join', url: '/j/:code', title: 'Join a round', lookup: true },
] as const;

/** From a page's URL to the root the pages are served from: `/new` → `./`, `/r/:id` → `../`. */
export function relativeRoot(url: string): string {
  const depth = url.split('/').length - 2;
  return depth > 0 ? '../'.repeat(depth) : './';
}
