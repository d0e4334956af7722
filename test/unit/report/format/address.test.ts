import { addressLines, formatPostcode } from '../../../../integrations/report/format/address';

describe('address lines', () => {
  it('prints street lines, town, district and postcode, one per line', () => {
    expect(
      addressLines({
        lines: ['Flat 3', '8 Quay Street'],
        city: 'Exampleton',
        district: 'Exshire',
        postalCode: 'EX1 2CC',
      }),
    ).toEqual(['Flat 3', '8 Quay Street', 'Exampleton', 'Exshire', 'EX1 2CC']);
  });

  it('leaves out the parts that are missing', () => {
    expect(addressLines({ lines: ['12 Hill Road'] })).toEqual(['12 Hill Road']);
  });

  it.each([
    ['ex11aa', 'EX1 1AA'],
    ['SW1A1AA', 'SW1A 1AA'],
    ['m1  1ae', 'M1 1AE'],
  ])('normalises the postcode %s to %s', (input, expected) => {
    expect(formatPostcode(input)).toBe(expected);
  });
});
