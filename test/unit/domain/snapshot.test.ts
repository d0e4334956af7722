import fs from 'node:fs';
import path from 'node:path';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import { ValidationError } from '../../../domain/validation-error';

const examplesDir = path.resolve(__dirname, '../../../examples');
const example = (name: string): Record<string, any> =>
  JSON.parse(fs.readFileSync(path.join(examplesDir, name), 'utf8'));

function rejection(input: unknown): ValidationError {
  try {
    parseConsultationSnapshot(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected the snapshot to be rejected');
}

describe('consultation snapshot contract', () => {
  it.each(fs.readdirSync(examplesDir).filter((f) => f.startsWith('consultation-')))('accepts example %s', (file) => {
    const snapshot = parseConsultationSnapshot(example(file));
    expect(snapshot.patient.nhsNumber).toMatch(/^\d{10}$/);
  });

  it('applies defaults and normalises a spaced NHS number', () => {
    const input = example('consultation-temporary-resident.json');
    input.patient.nhsNumber = '999 000 0018';
    delete input.consultation.attachments;
    delete input.consultation.confidential;
    const snapshot = parseConsultationSnapshot(input);
    expect(snapshot.patient.nhsNumber).toBe('9990000018');
    expect(snapshot.consultation.attachments).toEqual([]);
    expect(snapshot.consultation.confidential).toBe(false);
    expect(snapshot.consultation.sections[0]?.items[0]?.confidential).toBe(false);
  });

  it('names the field and the reason for a Modulus 11 failure, without echoing the number', () => {
    const input = example('consultation-temporary-resident.json');
    input.patient.nhsNumber = '9990000019';
    const error = rejection(input);
    expect(error.issues).toEqual([{ field: 'patient.nhsNumber', reason: expect.stringContaining('Modulus 11') }]);
    expect(error.message).not.toContain('9990000019');
  });

  it('reports every bad field at once with its path', () => {
    const input = example('consultation-temporary-resident.json');
    input.encounterId = 'not-a-guid';
    input.patient.registrationType = 'X';
    input.patient.birthDate = '1958-02-30';
    input.consultation.sections[1].items = [];
    delete input.clinician.sdsUserId;
    input.unexpected = true;
    const fields = rejection(input).issues.map((i) => i.field).sort();
    expect(fields).toEqual(
      [
        '(root)',
        'clinician.sdsUserId',
        'consultation.sections[1].items',
        'encounterId',
        'patient.birthDate',
        'patient.registrationType',
      ].sort(),
    );
  });

  it('rejects a consultation dated after it was saved, and a birth after the consultation', () => {
    const input = example('consultation-temporary-resident.json');
    input.consultation.startedAt = '2026-11-20T11:00:00Z';
    input.patient.birthDate = '2027-01-01';
    const issues = rejection(input).issues;
    expect(issues).toContainEqual({ field: 'consultation.startedAt', reason: 'must not be after savedAt' });
    expect(issues).toContainEqual({ field: 'patient.birthDate', reason: 'must not be after the consultation date' });
  });

  it('rejects a non-object with a clear root error', () => {
    expect(rejection('hello').issues).toEqual([{ field: '(root)', reason: 'must be object, got string' }]);
  });
});
