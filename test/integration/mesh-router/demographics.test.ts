/**
 * The router's demographics rule (docs/mesh-router.md): surname without regard to case, accents, spaces and
 * punctuation, a cut surname only at the 100-character limit; date of birth as 8 digits in the configured order.
 */
import { dateOfBirthMatches, surnameMatches } from '../../../simulators/mesh-router/demographics';
import {
  isGpProviderSend,
  parseGpProviderAddress,
} from '../../../simulators/mesh-router/gp-provider-address';

test.each([
  ['WHITFIELD', 'Whitfield', true],
  ['whitfield', 'Whitfield', true],
  ["O'Brien-Ngata", "O'Brien-Ngata", true],
  ['OBRIEN NGATA', "O'Brien-Ngata", true],
  ['O’Brien–Ngata', "O'Brien-Ngata", true],
  ['van der Berg', 'Van Der Berg', true],
  ['VANDERBERG', 'van der Berg', true],
  ['St. John', 'St John', true],
  ['Zoe', 'Zoë', true],
  ['Nguyen', 'Nguyễn', true],
  ['STRASSE', 'Straße', true],
  ['Oster', 'Øster', true],
  ['Lukasz', 'Łukasz', true],
  ['AEsir', 'Æsir', true],
  ['Thorsson', 'Þorsson', true],
  ['Whitford', 'Whitfield', false],
  ['Whitfiel', 'Whitfield', false],
  ['Whitfields', 'Whitfield', false],
  ['Mueller', 'Müller', false],
  ['-', 'Whitfield', false],
  ['', 'Whitfield', false],
])('surname %j against the record %j: %s', (sent, recorded, matches) => {
  expect(surnameMatches(sent, recorded, false)).toBe(matches);
});

test('a surname cut to fit mex-to matches the start of the record only when the address is at the limit', () => {
  expect(surnameMatches('Featherstonehaugh-Ff', 'Featherstonehaugh-Ffolkes', true)).toBe(true);
  expect(surnameMatches('Featherstonehaugh-Ff', 'Featherstonehaugh-Ffolkes', false)).toBe(false);
  expect(surnameMatches('Featherstonehaugh-Fx', 'Featherstonehaugh-Ffolkes', true)).toBe(false);
  const long = `GPPROVIDER_9990000018_19580314_${'A'.repeat(69)}`;
  expect(parseGpProviderAddress(long)).toMatchObject({ surname: 'A'.repeat(69), atLengthLimit: true });
});

test('date of birth: 8 digits, YYYYMMDD by default or DDMMYYYY when configured', () => {
  expect(dateOfBirthMatches('19580314', '1958-03-14', 'YYYYMMDD')).toBe(true);
  expect(dateOfBirthMatches('14031958', '1958-03-14', 'YYYYMMDD')).toBe(false);
  expect(dateOfBirthMatches('14031958', '1958-03-14', 'DDMMYYYY')).toBe(true);
  expect(dateOfBirthMatches('1958-03-14', '1958-03-14', 'YYYYMMDD')).toBe(false);
  expect(dateOfBirthMatches('', '1958-03-14', 'YYYYMMDD')).toBe(false);
});

test('addresses: GPPROVIDER in upper case on a routed workflow; the surname keeps later underscores', () => {
  expect(isGpProviderSend('GPPROVIDER_9990000018_19580314_Whitfield', 'GPFED_CONSULT_REPORT')).toBe(true);
  expect(isGpProviderSend('GPPROVIDER_9990000018_19580314_Whitfield', 'GPCONNECT_SEND_DOCUMENT_ACK')).toBe(
    false,
  );
  expect(isGpProviderSend('gpprovider_9990000018_19580314_Whitfield', 'GPFED_CONSULT_REPORT')).toBe(false);
  expect(isGpProviderSend('X26ABC2', 'GPFED_CONSULT_REPORT')).toBe(false);
  expect(parseGpProviderAddress('GPPROVIDER_9990000018_19580314_A_B')).toEqual({
    nhsNumber: '9990000018',
    dateOfBirth: '19580314',
    surname: 'A_B',
    atLengthLimit: false,
  });
  expect(parseGpProviderAddress('GPPROVIDER_123')).toMatchObject({
    nhsNumber: '123',
    dateOfBirth: '',
    surname: '',
  });
});
