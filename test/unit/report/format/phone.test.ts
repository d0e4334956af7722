import { formatPhoneNumber } from '../../../../integrations/report/format/phone';

describe('telephone display format (area code, space, local number, optional x extension)', () => {
  it.each([
    ['London, 3-digit code and 8-digit local number', '02079460000', '020 7946 0000'],
    ['4-digit 011x code', '0113 4960000', '0113 496 0000'],
    ['4-digit 01x1 code', '01614960000', '0161 496 0000'],
    ['5-digit code, 6-digit local number: no inner space', '01632960001', '01632 960001'],
    ['6-digit code', '01697 712345', '016977 12345'],
    ['mobile', '07700900123', '07700 900123'],
    ['non-geographic 0300', '03001234567', '0300 123 4567'],
    ['freephone with a 6-digit local number', '0800 123456', '0800 123456'],
    ['international +44 form', '+44 20 7946 0000', '020 7946 0000'],
    ['international form with the (0) people write', '+44 (0)1632 960001', '01632 960001'],
    ['hyphens and brackets', '(01632)-960-001', '01632 960001'],
    ['extension', '01632 960001 x123', '01632 960001 x 123'],
    ['extension written with spaces', '020 7946 0000 x 45', '020 7946 0000 x 45'],
  ])('%s: %s -> %s', (_case, input, expected) => {
    expect(formatPhoneNumber(input)).toBe(expected);
  });

  it.each([
    ['a foreign number', '+33 1 23 45 67 89', '+33 1 23 45 67 89'],
    ['a number of unexpected length', '0163296', '0163296'],
    ['untidy spacing is tidied', '  555   0100 ', '555 0100'],
  ])('prints %s as entered: %s', (_case, input, expected) => {
    expect(formatPhoneNumber(input)).toBe(expected);
  });
});
