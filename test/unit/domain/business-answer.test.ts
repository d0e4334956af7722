/**
 * The business answer after filing, from a PDS lookup against the receiving practice: 30001 registered here, 30004
 * registered here and died within six months, 30003 formerly registered here, 30002 otherwise.
 */
import { businessAnswerFor, type PatientRegistrationFacts } from '../../../domain/business-answer';

const HERE = 'Y90002';
const NOW = new Date('2026-12-04T12:00:00Z');
const found = (
  facts: Partial<Extract<PatientRegistrationFacts, { found: true }>>,
): PatientRegistrationFacts => ({
  found: true,
  registeredPracticeOds: null,
  formerPracticeOds: [],
  deceasedAt: null,
  ...facts,
});

test.each([
  ['registered here', found({ registeredPracticeOds: HERE }), '30001'],
  ['registered here, ODS code in lower case', found({ registeredPracticeOds: 'y90002' }), '30001'],
  [
    'registered here, died last month',
    found({ registeredPracticeOds: HERE, deceasedAt: '2026-11-20T18:40:00Z' }),
    '30004',
  ],
  [
    'registered here, died a year ago',
    found({ registeredPracticeOds: HERE, deceasedAt: '2025-11-20' }),
    '30001',
  ],
  ['moved away from here', found({ registeredPracticeOds: 'Y90003', formerPracticeOds: [HERE] }), '30003'],
  ['no current practice, formerly here', found({ formerPracticeOds: [HERE] }), '30003'],
  ['registered elsewhere, never here', found({ registeredPracticeOds: 'Y90003' }), '30002'],
  ['no current practice, never here', found({}), '30002'],
  ['no PDS record', { found: false } as const, '30002'],
])('%s: %s', (_case, facts, code) => {
  expect(businessAnswerFor(facts, HERE, NOW)).toBe(code);
});
