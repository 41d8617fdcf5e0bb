import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  characterCount,
  checkLabels,
  checkText,
  isBlank,
  labelKey,
  MAX_TEXT_LENGTH,
} from './text.ts';

describe('checkText: what a name or label may hold', () => {
  it.each([
    ['a NUL', 'Piz\u0000za', 'NUL', 'U+0000'],
    ['a tab', 'Pizza\tSushi', 'control character', 'U+0009'],
    ['a line feed', 'Pizza\n', 'line break', 'U+000A'],
    ['a carriage return', '\rPizza', 'line break', 'U+000D'],
    ['DEL', 'Pizza\u007f', 'control character', 'U+007F'],
    ['a C1 control', 'Pizza\u0090', 'control character', 'U+0090'],
    ['NEL', 'Pizza\u0085', 'line break', 'U+0085'],
    ['a line separator', 'Pizza\u2028', 'line break', 'U+2028'],
    ['a right-to-left override', '\u202eazziP', 'bidirectional control', 'U+202E'],
    ['an isolate', 'Pizza\u2066', 'bidirectional control', 'U+2066'],
    ['a lone high surrogate', 'Pizza\ud83c', 'lone surrogate', 'U+D83C'],
    ['a lone low surrogate', '\udf55Pizza', 'lone surrogate', 'U+DF55'],
  ])('refuses %s, naming the character and where it is', (_what, input, why, codePoint) => {
    const checked = checkText(input, 'option 2');
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.reason).toBe('forbidden_character');
    expect(checked.message).toContain('option 2');
    expect(checked.message).toContain(why);
    expect(checked.message).toContain(codePoint);
  });

  it('stores NFC, trimmed of spaces and zero-width characters at the ends', () => {
    expect(checkText('  Cafe\u0301 \u200b', 'name')).toEqual({ ok: true, text: 'Café' });
    expect(checkText('\ufeffPizza\u00a0\u3000', 'name')).toEqual({ ok: true, text: 'Pizza' });
    // Inside the text, nothing is taken out: what a person typed is what is shown.
    expect(checkText('Pizza  \u200dMargherita', 'name')).toEqual({
      ok: true,
      text: 'Pizza  \u200dMargherita',
    });
  });

  it('keeps what people write: emoji with joiners and variation selectors, scripts, marks', () => {
    for (const text of ['👨‍👩‍👧', '❤️', 'שלום', 'नमस्ते', 'Ünïcödé', '中文', 'a\u0301\u0302', '🍕'])
      expect(checkText(text, 'name')).toEqual({ ok: true, text: text.normalize('NFC') });
  });

  it('answers an empty text for a blank one (only spaces or invisible characters)', () => {
    for (const blank of ['', '   ', '\u200b\u200c\u200d', '\u2060\ufeff', ' \u3164 ', '\u00ad'])
      expect(checkText(blank, 'name')).toEqual({ ok: true, text: '' });
  });

  it('counts the length after normalization, in code points as PostgreSQL does', () => {
    expect(checkText('😀'.repeat(MAX_TEXT_LENGTH), 'name').ok).toBe(true);
    // U+FB2C decomposes to three code points under NFC: 200 of them are 600 characters.
    const grows = checkText('\ufb2c'.repeat(MAX_TEXT_LENGTH), 'name');
    expect(grows).toMatchObject({ ok: false, reason: 'too_long' });
    expect(characterCount('a😀b')).toBe(3);
  });

  it('holds for any text: refused, or stored clean, normalized, trimmed and short enough', () => {
    const forbidden = (text: string) =>
      [...text].some((character) => {
        const c = character.codePointAt(0) ?? 0;
        return (
          c <= 0x1f ||
          (c >= 0x7f && c <= 0x9f) ||
          c === 0x2028 ||
          c === 0x2029 ||
          (c >= 0x202a && c <= 0x202e) ||
          (c >= 0x2066 && c <= 0x2069) ||
          (c >= 0xd800 && c <= 0xdfff)
        );
      });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (input) => {
        const checked = checkText(input, 'x');
        if (forbidden(input)) {
          expect(checked).toMatchObject({ ok: false, reason: 'forbidden_character' });
          return;
        }
        if (!checked.ok) {
          expect(checked.reason).toBe('too_long');
          return;
        }
        expect(checked.text).toBe(checked.text.normalize('NFC'));
        expect(checked.text).toBe(checked.text.trim());
        expect(characterCount(checked.text)).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
        expect(checkText(checked.text, 'x')).toEqual(checked);
      }),
    );
  });
});

describe('labelKey: when two labels are the same to a person', () => {
  it.each([
    ['Pizza', 'pizza '],
    ['PIZZA', 'pizza'],
    ['é', 'e\u0301'],
    ['Café', 'CAFE\u0301'],
    ['Pizza', 'Piz\u200bza'],
    ['Pizza', '\u2060Pizza\ufeff'],
    ['Pizza Margherita', 'Pizza   Margherita'],
    ['Pizza Margherita', 'Pizza\u00a0Margherita'],
    ['Straße', 'STRASSE'],
    ['Ｐｉｚｚａ', 'Pizza'],
    ['ﬁsh', 'fish'],
    ['ΌΣΟΣ', 'όσος'],
  ])('%j and %j are the same', (a, b) => {
    expect(labelKey(a)).toBe(labelKey(b));
  });

  it.each([
    ['Pizza', 'Pizzas'],
    ['e', 'é'],
    ['A', 'B'],
    ['1', '2'],
    ['Pizza Margherita', 'PizzaMargherita'],
  ])('%j and %j differ', (a, b) => {
    expect(labelKey(a)).not.toBe(labelKey(b));
  });

  it('is blank only for text that shows nothing', () => {
    expect(isBlank(' \u200b\u3164\u2800 ')).toBe(true);
    expect(isBlank('.')).toBe(false);
    expect(isBlank('\u0301')).toBe(false);
  });
});

describe('checkLabels: the option labels of a round', () => {
  it('returns the labels to store, in order', () => {
    expect(checkLabels([' Pizza', 'Cafe\u0301 ', '寿司'])).toEqual({
      ok: true,
      labels: ['Pizza', 'Café', '寿司'],
    });
  });

  it('refuses look-alike duplicates, naming both labels', () => {
    const checked = checkLabels(['Pizza', 'Sushi', 'pizza\u200b']);
    expect(checked).toMatchObject({ ok: false, reason: 'duplicate' });
    if (checked.ok) return;
    expect(checked.message).toContain('options 1 and 3');
    expect(checked.message).toContain('"Pizza"');
    expect(checked.message).toContain('"pizza"');
    expect(checkLabels(['same', 'same'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('option "same" appears twice'),
    });
  });

  it('refuses a blank label and a forbidden character, naming the option', () => {
    expect(checkLabels(['a', '\u200b \u200c'])).toMatchObject({
      ok: false,
      reason: 'blank',
      message: expect.stringContaining('option 2 is blank'),
    });
    expect(checkLabels(['a', 'b\u0000'])).toMatchObject({
      ok: false,
      reason: 'forbidden_character',
      message: expect.stringContaining('option 2 holds a NUL'),
    });
  });

  it('never returns two labels with one key, nor a blank one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'A', ' ', '\u200b', 'é', 'e\u0301', 'ß', 'ss', 'b'), {
          maxLength: 4,
        }),
        (parts) => {
          const labels = parts.map((_, i) => parts.slice(0, i + 1).join(''));
          const checked = checkLabels(labels);
          if (!checked.ok) return;
          const keys = checked.labels.map(labelKey);
          expect(new Set(keys).size).toBe(keys.length);
          expect(keys).not.toContain('');
        },
      ),
    );
  });
});
