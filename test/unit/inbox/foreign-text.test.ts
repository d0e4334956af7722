import { FOREIGN_TEXT_MAX_LENGTH, foreignText } from '../../../domain/foreign-text';

describe('text from other organisations', () => {
  it.each([
    ['plain text stays as it is', 'Patient known here', 'Patient known here'],
    [
      'control characters become spaces, runs collapse',
      'line one\r\n\tline\u0007two\u0000',
      'line one line two',
    ],
    ['C1 controls and DEL go', 'a\u0085b\u009bc\u007fd', 'a b c d'],
    ['bidirectional overrides and isolates go', 'abc\u202Edef\u2066ghi\u2069', 'abc def ghi'],
    ['zero-width characters, the BOM and non-characters go', '\uFEFFa\u200Bb\uFFFEc', 'a b c'],
    ['lone surrogates go, pairs stay', 'x\uD800y\uDC00z 😀', 'x y z 😀'],
    ['line and paragraph separators go', 'a\u2028b\u2029c', 'a b c'],
  ])('%s', (_case, input, expected) => {
    expect(foreignText(input)).toBe(expected);
  });

  it('answers nothing for nothing readable', () => {
    expect(foreignText(undefined)).toBeUndefined();
    expect(foreignText(null)).toBeUndefined();
    expect(foreignText(' \u0000\r\n ')).toBeUndefined();
  });

  it(`cuts long text to ${FOREIGN_TEXT_MAX_LENGTH} characters, ending with an ellipsis, never splitting a pair`, () => {
    const long = foreignText('x'.repeat(10_000))!;
    expect(Array.from(long)).toHaveLength(FOREIGN_TEXT_MAX_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    const emoji = foreignText('😀'.repeat(300), 10)!;
    expect(Array.from(emoji)).toEqual([...Array(9).fill('😀'), '…']);
    expect(foreignText('abcdef', 6)).toBe('abcdef');
  });
});
