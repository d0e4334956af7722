import { isValidNhsNumber, nhsNumberProblem } from '../../../domain/nhs-number';

describe('NHS number Modulus 11', () => {
  it.each(['9000000009', '9000000017', '9000000025', '9000000033', '9111231130', '9693632109', '5900046192'])(
    'accepts %s',
    (n) => expect(isValidNhsNumber(n)).toBe(true),
  );
  it.each(['9000000000', '1234567890', '9989453456', '4857773456'])('rejects %s', (n) =>
    expect(isValidNhsNumber(n)).toBe(false),
  );
  it('explains a wrong length', () => expect(nhsNumberProblem('12345')).toBe('must be exactly 10 digits'));
  it('explains a check digit of 10', () => {
    // 1234567890: weighted sum 10+18+24+28+30+30+28+24+18 = 210, 210 mod 11 = 1, check 10 -> never valid
    expect(nhsNumberProblem('1234567890')).toMatch(/check digit would be 10/);
  });
});
