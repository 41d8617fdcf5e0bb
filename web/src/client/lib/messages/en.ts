/**
 * Every word of the pages in English: the reference catalog, one file per page under en/. Other
 * languages (de.ts) must have exactly these keys, which the type checker holds them to. `{name}` is filled in by t()/tx();
 * a `{ one, other }` message is chosen by its `{count}` (Intl.PluralRules of the language).
 */
import { common } from './en/common.ts';
import { create } from './en/create.ts';
import { home } from './en/home.ts';
import { lifecycle } from './en/lifecycle.ts';
import { manage } from './en/manage.ts';
import { presenter } from './en/presenter.ts';
import { results } from './en/results.ts';
import { vote } from './en/vote.ts';

export const en = {
  ...common,
  ...home,
  ...create,
  ...vote,
  ...results,
  ...manage,
  ...lifecycle,
  ...presenter,
} as const;

export type MessageKey = keyof typeof en;
