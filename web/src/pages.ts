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
] as const;

/** From a page's URL to the root the pages are served from: `/new` → `./`, `/r/:id` → `../`. */
export function relativeRoot(url: string): string {
  const depth = url.split('/').length - 2;
  return depth > 0 ? '../'.repeat(depth) : './';
}
