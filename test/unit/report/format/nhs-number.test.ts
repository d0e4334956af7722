import { formatNhsNumber } from '../../../../integrations/report/format/nhs-number';

describe('NHS number display format', () => {
  it('groups the ten digits as ### ### ####', () => {
    expect(formatNhsNumber('9990000018')).toBe('999 000 0018');
  });

  it('refuses anything but a normalised ten-digit number', () => {
    expect(() => formatNhsNumber('999 000 0018')).toThrow(RangeError);
    expect(() => formatNhsNumber('999000001')).toThrow(RangeError);
  });
});
