/**
 * The pages' words: every string a page shows comes from a message catalog (messages/en.ts, the
 * reference, and messages/de.ts, which the type checker holds to the same keys), in the language
 * this browser chose with the switch, or else the first of `navigator.languages` the pages speak.
 */
import type { Child } from './dom.ts';
import { de } from './messages/de.ts';
import { en, type MessageKey } from './messages/en.ts';
import { preferredLanguage, rememberLanguage } from './storage.ts';

export type { MessageKey };

/** Each language by its own name: the switch shows these, so a reader finds theirs. */
export const LANGUAGES = { en: 'English', de: 'Deutsch' } as const;
export type Language = keyof typeof LANGUAGES;

/** A message that depends on a number: `{count}` chooses the form (Intl.PluralRules). */
export interface Plural {
  one: string;
  other: string;
}
export type Message = string | Plural;

const CATALOGS: Record<Language, Record<MessageKey, Message>> = { en, de };

const isLanguage = (value: string | null | undefined): value is Language =>
  value !== null && value !== undefined && Object.hasOwn(LANGUAGES, value);

function initialLanguage(): Language {
  const stored = preferredLanguage();
  if (isLanguage(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

let current: Language = initialLanguage();
let pluralRules = new Intl.PluralRules(current);
let numbers = new Intl.NumberFormat(current);

export function language(): Language {
  return current;
}

/** Switches and remembers the language (the page then draws itself again). */
export function setLanguage(next: Language): void {
  current = next;
  pluralRules = new Intl.PluralRules(next);
  numbers = new Intl.NumberFormat(next);
  rememberLanguage(next);
  document.documentElement.lang = next;
}

export type Params = Record<string, string | number>;

/** A message as text: `t('ballots', { count: 3 })`. Numbers are formatted for the language. */
export function t(key: MessageKey, params: Params = {}): string {
  return parts(key, params).join('');
}

/**
 * A message with elements in it: `tx('outcome', { name: bdi(label) })`. Placeholders filled with
 * nodes keep them as nodes (a name isolated for its direction, a receipt in <code>).
 */
export function tx(key: MessageKey, params: Record<string, string | number | Node>): Child[] {
  return parts(key, params);
}

function parts(key: MessageKey, params: Record<string, string | number | Node>): (string | Node)[] {
  const message = CATALOGS[current][key] ?? en[key];
  const text =
    typeof message === 'string'
      ? message
      : pluralRules.select(Number(params.count ?? 0)) === 'one'
        ? message.one
        : message.other;
  return text
    .split(/\{(\w+)\}/)
    .map((piece, index) => {
      if (index % 2 === 0) return piece;
      const value = params[piece];
      if (value === undefined) return `{${piece}}`;
      return typeof value === 'number' ? numbers.format(value) : value;
    })
    .filter((piece) => piece !== '');
}
