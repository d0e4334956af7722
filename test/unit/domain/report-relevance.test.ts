/** What a report carries of a save: the content a new version must differ in before it is sent. */
import { reportRelevantContent } from '../../../domain/report-relevance';
import { temporaryResident } from '../report/support/snapshots';

const addressing = { registeredPracticeOds: 'Y90002' };
const base = temporaryResident();

it('ignores the revision and the save time', () => {
  expect(reportRelevantContent({ ...base, revision: 9, savedAt: '2026-11-21T12:00:00Z' }, addressing)).toBe(reportRelevantContent(base, addressing));
});

it('ignores the contract version (snapshots stored before it existed lack it)', () => {
  const { schemaVersion: _version, ...unversioned } = base;
  expect(reportRelevantContent(unversioned as typeof base, addressing)).toBe(reportRelevantContent(base, addressing));
});

it('ignores the order of keys', () => {
  const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
  expect(reportRelevantContent(reordered, addressing)).toBe(reportRelevantContent(base, addressing));
});

it.each([
  ['a clinical note', temporaryResident((s) => (s.consultation.sections[0]!.items[0]!.text += ' (amended)'))],
  ['the confidentiality', temporaryResident((s) => (s.consultation.confidential = true))],
  ['the patient’s phone', temporaryResident((s) => (s.patient.phones = { mobile: '07700 900123' }))],
  ['an attachment', temporaryResident((s) => (s.consultation.attachments = [{ id: 'a', title: 'ECG', contentType: 'application/pdf', data: 'JVBERi0=' }]))],
])('changes with %s', (_what, changed) => {
  expect(reportRelevantContent(changed, addressing)).not.toBe(reportRelevantContent(base, addressing));
});

it.each([
  ['the registered practice', { registeredPracticeOds: 'Y90003' }],
  ['the NHS number it is sent under', { ...addressing, currentNhsNumber: '9990000034' }],
  ['the spine demographics of the address', { ...addressing, addressDemographics: { familyName: 'Smith', birthDate: '1990-01-01' } }],
])('changes with %s', (_what, other) => {
  expect(reportRelevantContent(base, other)).not.toBe(reportRelevantContent(base, addressing));
});
