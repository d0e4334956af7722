import { formatCodeReference } from '../../../../integrations/report/format/coding';

describe('code reference of a coded note item', () => {
  const snomed = 'http://snomed.info/sct';

  it('names the code system and the code, without repeating a display equal to the text', () => {
    const coding = { system: snomed, code: '50417007', display: 'Lower respiratory tract infection' };
    expect(formatCodeReference(coding, 'lower respiratory tract infection')).toBe('SNOMED CT 50417007');
  });

  it('adds the display term in SNOMED notation when it differs from the text', () => {
    const coding = { system: snomed, code: '195967001', display: 'Asthma' };
    expect(formatCodeReference(coding, 'Wheeze since childhood')).toBe('SNOMED CT 195967001 |Asthma|');
  });

  it('shows a code without a display', () => {
    expect(
      formatCodeReference(
        { system: 'https://dmd.nhs.uk', code: '39732311000001104' },
        'Amoxicillin 500mg capsules',
      ),
    ).toBe('dm+d 39732311000001104');
  });

  it('shows an unknown code system by its URI rather than guessing a name', () => {
    expect(formatCodeReference({ system: 'https://example.org/codes', code: 'A1' }, 'x')).toBe(
      'https://example.org/codes A1',
    );
  });
});
