/**
 * What a person may type into a name or a label, and when two labels are the same: the one home
 * of the text rules (docs/architecture.md, "Bad input"). Round names and option labels go through
 * here today, invitation labels will too.
 *
 * - **Refused** anywhere in the text: NUL and every other control character (C0 U+0000–U+001F,
 *   tab and line feed included, DEL and C1 U+007F–U+009F), the line and paragraph separators
 *   (U+2028, U+2029), the bidirectional embedding, override and isolate controls (U+202A–U+202E,
 *   U+2066–U+2069: they make a label display as another one), and lone surrogates (half of a
 *   UTF-16 pair, which UTF-8 and so PostgreSQL cannot hold). Names and labels are one line.
 * - **Stored** NFC-normalized and trimmed of white space and zero-width characters at both ends,
 *   at most {@link MAX_TEXT_LENGTH} characters (code points) after that: normalizing may lengthen
 *   a text, so the limit is checked again here, where the database's check would otherwise fail.
 * - **The same label** ({@link labelKey}): equal after compatibility normalization (NFKC: full-width
 *   letters, ligatures), case folding, dropping invisible characters (Unicode's default-ignorable
 *   code points: zero-width spaces and joiners U+200B–U+200D, U+2060, U+FEFF, soft hyphens,
 *   variation selectors, Hangul fillers, …) and collapsing runs of white space. A label whose key
 *   is empty is blank.
 */

/** The longest name or label, in characters (code points): the database checks the same. */
export const MAX_TEXT_LENGTH = 200;

export type TextRefusal = 'forbidden_character' | 'too_long' | 'blank';

export type CheckedText =
  | { ok: true; text: string }
  | { ok: false; reason: TextRefusal; message: string };

export type CheckedLabels =
  | { ok: true; labels: string[] }
  | { ok: false; reason: TextRefusal | 'duplicate'; message: string };

/** Zero-width characters trimmed from the ends of a stored text along with white space. */
const EDGES = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/gu;
/** Characters nobody sees: default-ignorable code points, and the braille blank. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;
const SPACES = /\s+/gu;

/** Why a code point cannot be in a name or label, or null when it can. */
function forbidden(codePoint: number): string | null {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 'a lone surrogate';
  if (codePoint === 0) return 'a NUL character';
  if (codePoint === 0x0a || codePoint === 0x0d || codePoint === 0x85) return 'a line break';
  if (codePoint === 0x2028 || codePoint === 0x2029) return 'a line break';
  if (codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'a control character';
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069))
    return 'a bidirectional control';
  return null;
}

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** How many characters (code points) a text has, as PostgreSQL's char_length counts them. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Checks one name or label (`what` names it in the message, e.g. `option 2`) and returns the
 * text to store: NFC-normalized and trimmed. A text that is blank once trimmed is returned as ''
 * (the caller decides whether blank is an error: a blank name takes the default).
 */
export function checkText(input: string, what: string): CheckedText {
  let position = 0;
  for (const character of input) {
    position++;
    const codePoint = character.codePointAt(0) ?? 0;
    const why = forbidden(codePoint);
    if (why !== null) {
      return {
        ok: false,
        reason: 'forbidden_character',
        message: `${what} holds ${why} (${hex(codePoint)}) at character ${position}: names and labels are one line of visible text`,
      };
    }
  }
  const text = input.normalize('NFC').replace(EDGES, '');
  const length = characterCount(text);
  if (length > MAX_TEXT_LENGTH) {
    return {
      ok: false,
      reason: 'too_long',
      message: `${what} is ${length} characters long once normalized (NFC); the most is ${MAX_TEXT_LENGTH}`,
    };
  }
  return { ok: true, text: isBlank(text) ? '' : text };
}

/**
 * The key two labels are compared by: equal keys are the same label to a person. Compatibility
 * normalization, case folding (upper then lower case, without locale: `ß` = `ss`, `ς` = `σ`),
 * no invisible characters, one space for any run of white space, no space at the ends.
 */
export function labelKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .trim();
}

/** True when a text shows nothing: only white space and invisible characters. */
export function isBlank(text: string): boolean {
  return labelKey(text) === '';
}

/**
 * Checks a list of labels (option labels of a round): each as {@link checkText}, none blank, no
 * two the same by {@link labelKey}. Returns the labels to store, in order.
 */
export function checkLabels(inputs: readonly string[], noun = 'option'): CheckedLabels {
  const labels: string[] = [];
  const seen = new Map<string, number>();
  for (const [index, input] of inputs.entries()) {
    const what = `${noun} ${index + 1}`;
    const checked = checkText(input, what);
    if (!checked.ok) return checked;
    if (checked.text === '') {
      return {
        ok: false,
        reason: 'blank',
        message: `${what} is blank: it holds only spaces or invisible characters`,
      };
    }
    const key = labelKey(checked.text);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const first = labels[earlier] ?? '';
      const same =
        first === checked.text
          ? `${noun} "${first}" appears twice (${noun}s ${earlier + 1} and ${index + 1})`
          : `${noun}s ${earlier + 1} and ${index + 1} ("${first}" and "${checked.text}") are the same label`;
      return {
        ok: false,
        reason: 'duplicate',
        message: `${same}: labels are compared ignoring case, spacing and invisible characters`,
      };
    }
    seen.set(key, index);
    labels.push(checked.text);
  }
  return { ok: true, labels };
}
