import fs from 'node:fs';
import path from 'node:path';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import { ValidationError } from '../../../domain/validation-error';
import { characterXmlCannotCarry, textXmlCannotCarry } from '../../../domain/xml-text';

const example = (): Record<string, any> =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json'),
      'utf8',
    ),
  );

function issuesOf(input: unknown) {
  try {
    parseConsultationSnapshot(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the snapshot to be rejected');
}

describe('characterXmlCannotCarry (XML 1.0 Char)', () => {
  it.each([
    ['a vertical tab', 'a\u000Bb', 'U+000B'],
    ['NUL', '\u0000', 'U+0000'],
    ['a form feed', 'x\u000C', 'U+000C'],
    ['ESC', '\u001B[2J', 'U+001B'],
    ['U+FFFE', 'a\uFFFE', 'U+FFFE'],
    ['U+FFFF', '\uFFFF', 'U+FFFF'],
    ['a lone high surrogate', 'a\uD83D', 'U+D83D'],
    ['a lone low surrogate', '\uDE00b', 'U+DE00'],
    ['reversed surrogates', '\uDFFF\uD800', 'U+DFFF'],
  ])('refuses %s', (_what, text, character) => {
    expect(characterXmlCannotCarry(text)).toBe(character);
  });

  it.each([
    ['tab, LF and CR', 'a\tb\nc\r\nd'],
    ['a surrogate pair (emoji)', 'ok \uD83D\uDE00'],
    ['DEL and C1 controls (allowed, if discouraged)', '\u007F\u0085'],
    ['U+FFFD and private use', '\uFFFD\uE000'],
    ['scripts and accents', 'Παπαδοπούλου Иванова é'],
  ])('accepts %s', (_what, text) => {
    expect(characterXmlCannotCarry(text)).toBeUndefined();
  });
});

describe('textXmlCannotCarry', () => {
  it('finds every such string with its path, at any depth', () => {
    expect(textXmlCannotCarry({ a: 'ok', b: ['x', 'y\u0001'], c: { d: { e: '\uFFFF' } }, n: 1 })).toEqual([
      { path: ['b', 1], character: 'U+0001' },
      { path: ['c', 'd', 'e'], character: 'U+FFFF' },
    ]);
  });

  it('stops at the depth and count bounds', () => {
    expect(textXmlCannotCarry({ a: { b: { c: '\u0001' } } }, { maxDepth: 2 })).toEqual([]);
    expect(textXmlCannotCarry(Array(500).fill('\u0001'), { maxFinds: 3 })).toHaveLength(3);
  });
});

describe('the snapshot contract refuses text XML cannot carry', () => {
  it('names each field and the character, never the value', () => {
    const input = example();
    input.consultation.sections[0].items[0].text = 'Seen today.\u000BPasted from a word processor';
    input.patient.name.family = 'Whit\uFFFEfield';
    input.clinician.phone = '0113 496 \u000C0000';
    const issues = issuesOf(input);
    expect(issues).toContainEqual({
      field: 'consultation.sections[0].items[0].text',
      reason: expect.stringMatching(/^contains U\+000B, which XML 1\.0 cannot carry/),
    });
    expect(issues).toContainEqual({
      field: 'patient.name.family',
      reason: expect.stringContaining('U+FFFE'),
    });
    expect(issues).toContainEqual({ field: 'clinician.phone', reason: expect.stringContaining('U+000C') });
    expect(JSON.stringify(issues)).not.toMatch(/Whit|Pasted|496/);
  });

  it('reaches strings the other field rules would let through (URIs, lone surrogates in free text)', () => {
    const input = example();
    input.consultation.sections[0].items[0].coding = { system: 'http://snomed.info/sct\u0001', code: '1' };
    input.consultation.followUpActions = ['Review \uD800 in a week'];
    const fields = issuesOf(input).map((issue) => issue.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'consultation.sections[0].items[0].coding.system',
        'consultation.followUpActions[0]',
      ]),
    );
  });

  it('accepts tabs and line breaks in free text, and leading or trailing controls the contract trims away', () => {
    const input = example();
    input.consultation.sections[0].items[0].text = 'Line one\n\tLine two\r\n';
    input.patient.name.family = '\u000BWhitfield';
    expect(parseConsultationSnapshot(input).patient.name.family).toBe('Whitfield');
  });
});
