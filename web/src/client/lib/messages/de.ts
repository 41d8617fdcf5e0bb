/**
 * Every word of the pages in German (Sie-Form, as public tools address people they do not know).
 * Held to exactly the English keys, and to a plural where English has one, by its type; one file
 * per page under de/.
 */
import { common } from './de/common.ts';
import { create } from './de/create.ts';
import { home } from './de/home.ts';
import { lifecycle } from './de/lifecycle.ts';
import { manage } from './de/manage.ts';
import { presenter } from './de/presenter.ts';
import { results } from './de/results.ts';
import { vote } from './de/vote.ts';
import type { en } from './en.ts';
import type { Translation } from './translation.ts';

export const de: Translation<typeof en> = {
  ...common,
  ...home,
  ...create,
  ...vote,
  ...results,
  ...manage,
  ...lifecycle,
  ...presenter,
};
