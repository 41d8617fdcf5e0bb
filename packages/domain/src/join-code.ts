/**
 * A round's join code: the short handle a presenter puts on a projector ("go to
 * votes.example.org/j/K7MQ2P"), resolved to the round by `GET /join/:code` and `/j/:code`. The
 * one home of its shape, which the vote service, the database queries and the pages share.
 *
 * - **Alphabet**: the digits 2–9 and the capitals without I, L, O and U: no 0/O, 1/I/L to
 *   confuse on a screen or when read aloud, and no U, which reads as V in some fonts (and
 *   leaves fewer words to spell by chance). 30 characters.
 * - **Length** 6: 30^6 ≈ 729 million codes, so a new round's random code meets one of 100,000
 *   open rounds once in ~7,300 creations (and is then drawn again), and guessing a given
 *   round's code takes ~364 million tries on average (docs/abuse-limits.md has the budget).
 * - **Typed** in any case, with spaces and dashes anywhere (people copy "K7M-Q2P", phones
 *   capitalize the first letter only): {@link normalizeJoinCode} takes those out.
 */

export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const JOIN_CODE_LENGTH = 6;

const SHAPE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);
/**
 * What people put between the characters: white space (no-break spaces from a copied text too),
 * hyphens and dashes (U+2010–U+2015, the minus sign U+2212), underscores, dots and middle dots.
 */
const SEPARATORS = /[\s\-_.\u00B7\u2010-\u2015\u2212]/gu;

/** The code as stored (upper case, no separators), or null when it cannot be a join code. */
export function normalizeJoinCode(input: string): string | null {
  // Bounded first: a path segment may be long, and nothing longer than this is a code typed
  // with separators (6 characters, a few spaces or dashes between them).
  if (input.length > 40) return null;
  const code = input.replace(SEPARATORS, '').toUpperCase();
  return SHAPE.test(code) ? code : null;
}

/** Whether `code` is a join code as stored: exactly the alphabet, in upper case, 6 long. */
export function isJoinCode(code: string): boolean {
  return SHAPE.test(code);
}

/** A code in two halves, as people read it aloud and type it: `K7M QP2` → ["K7M", "QP2"]. */
export function joinCodeHalves(code: string): [string, string] {
  const middle = Math.ceil(code.length / 2);
  return [code.slice(0, middle), code.slice(middle)];
}
