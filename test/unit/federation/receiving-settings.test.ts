/**
 * A practice's `receiving` settings: acknowledged when filed with an alert after 24h unfiled unless set; either mode
 * and the alert time may be set; a wrong value is named by key and reason.
 */
import { parseFederationSettings } from '../../../integrations/federation/loader';
import { ValidationError } from '../../../domain/validation-error';

const HOURS = 3_600_000;
const KEY = 'federations.exampleton.practices.Y90001.receiving';

const file = (receiving = '') => `
version: 1
federations:
  exampleton:
    name: Exampleton Federation
    practices:
      Y90001:
        name: Riverside Medical Centre
        meshMailbox: X26ABC1
        ${receiving}
`;

const receivingOf = (text: string) => parseFederationSettings(text, 'test.yaml').practices.Y90001!.receiving;

function issuesOf(text: string) {
  try {
    parseFederationSettings(text, 'test.yaml');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

it('defaults to acknowledging when filed, with an alert after 24h unfiled', () => {
  expect(receivingOf(file())).toEqual({ mode: 'when-filed', unfiledAlertAfterMs: 24 * HOURS });
});

it('takes either mode and the alert time', () => {
  expect(receivingOf(file('receiving: { acknowledge: on-receipt }'))).toEqual({
    mode: 'on-receipt',
    unfiledAlertAfterMs: 24 * HOURS,
  });
  expect(receivingOf(file('receiving: { acknowledge: when-filed, unfiledAlertAfter: 4h }'))).toEqual({
    mode: 'when-filed',
    unfiledAlertAfterMs: 4 * HOURS,
  });
});

it('names each wrong value by key and reason', () => {
  expect(issuesOf(file('receiving: { acknowledge: never, unfiledAlertAfter: 10s, filedBy: me }'))).toEqual([
    { field: `${KEY}.acknowledge`, reason: 'must be one of on-receipt, when-filed' },
    { field: `${KEY}.unfiledAlertAfter`, reason: 'must be between 1m and 30d' },
    { field: KEY, reason: 'has unknown field(s) filedBy' },
  ]);
});
