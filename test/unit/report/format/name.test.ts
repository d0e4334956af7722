import { formatPersonName } from '../../../../integrations/report/format/name';

describe('name format SURNAME, Forename(s) (Title)', () => {
  it('puts the surname in capitals, then forenames, then the title in brackets', () => {
    expect(formatPersonName({ title: 'Mrs', given: ['Eleanor', 'Rose'], family: 'Whitfield' })).toBe(
      'WHITFIELD, Eleanor Rose (Mrs)',
    );
  });

  it('leaves out the brackets when there is no title', () => {
    expect(formatPersonName({ given: ['Harold'], family: 'Bennett' })).toBe('BENNETT, Harold');
  });

  it('keeps apostrophes, hyphens and accents', () => {
    expect(formatPersonName({ title: 'Mr', given: ['Tomás'], family: "O'Brien-Ngata" })).toBe(
      "O'BRIEN-NGATA, Tomás (Mr)",
    );
  });

  it('upper-cases surnames in other alphabets', () => {
    expect(formatPersonName({ given: ['Анна'], family: 'Иванова' })).toBe('ИВАНОВА, Анна');
    expect(formatPersonName({ given: ['Νίκος'], family: 'Παππάς' })).toBe('ΠΑΠΠΆΣ, Νίκος');
  });
});
