import {
  gpProviderAddress,
  meshMetadataFor,
  MEX_SUBJECT_MAX_LENGTH,
} from '../../../integrations/itk3/mesh-metadata';
import { ValidationError } from '../../../domain/validation-error';
import { snapshotFixture } from './fixtures';

const HEADER_ID = '8ba9ab3d-dd25-5f29-b0f2-55e341ee6ff9';

const withSurname = (family: string) =>
  snapshotFixture((s) => {
    s.patient.name.family = family;
  }).patient;

describe('MESH metadata of a consultation report', () => {
  it('addresses the registered practice through GPPROVIDER routing, with the documented defaults', () => {
    const snapshot = snapshotFixture();
    expect(meshMetadataFor({ snapshot, version: 2, messageHeaderId: HEADER_ID })).toEqual({
      to: 'GPPROVIDER_9990000018_19580314_Whitfield',
      workflowId: 'GPFED_CONSULT_REPORT',
      subject:
        'Consultation report for Eleanor Rose Whitfield, NHS Number 999 000 0018, seen at Riverside Medical Centre, ODS Code Y90001, Version 2',
      localId: HEADER_ID,
      filename: `${HEADER_ID}.xml`,
      contentType: 'application/fhir+xml',
    });
  });

  it('takes the workflow, DOB format and wire format from options', () => {
    const metadata = meshMetadataFor(
      { snapshot: snapshotFixture(), version: 1, messageHeaderId: HEADER_ID },
      { workflowId: 'GPCONNECT_SEND_DOCUMENT', dobFormat: 'DDMMYYYY', format: 'json' },
    );
    expect(metadata).toMatchObject({
      to: 'GPPROVIDER_9990000018_14031958_Whitfield',
      workflowId: 'GPCONNECT_SEND_DOCUMENT',
      filename: `${HEADER_ID}.json`,
      contentType: 'application/fhir+json',
    });
  });

  it('leaves the practice out of the subject of a confidential consultation', () => {
    const snapshot = snapshotFixture((s) => {
      s.consultation.confidential = true;
    });
    expect(meshMetadataFor({ snapshot, version: 1, messageHeaderId: HEADER_ID }).subject).toBe(
      'Consultation report for Eleanor Rose Whitfield, NHS Number 999 000 0018, Version 1',
    );
  });

  it('keeps patient data out of the local id and file name', () => {
    const metadata = meshMetadataFor({ snapshot: snapshotFixture(), version: 1, messageHeaderId: HEADER_ID });
    for (const value of [metadata.localId, metadata.filename]) {
      expect(value).not.toMatch(/9990000018|Whitfield|1958/);
    }
  });

  it.each([
    ["O'Brien", "O'Brien"],
    ['O’Brien', "O'Brien"],
    ['Smith-Jones', 'Smith-Jones'],
    ['Smith–Jones', 'Smith-Jones'],
    ['van der  Berg', 'van der Berg'],
    ['Zoë Ó Súilleabháin', 'Zoe O Suilleabhain'],
    ['Straße', 'Strasse'],
    ['Ørsted', 'Orsted'],
    ['Łukasiewicz', 'Lukasiewicz'],
    ['Under_score', 'Under score'],
    ['Müller 李', 'Muller'],
  ])('writes the surname %j as %j', (family, expected) => {
    expect(gpProviderAddress(withSurname(family), 'YYYYMMDD')).toBe(
      `GPPROVIDER_9990000018_19580314_${expected}`,
    );
  });

  it('cuts a long surname so the address fits 100 characters, never the NHS number or DOB', () => {
    const family = `${'Featherstonehaugh-'.repeat(5)}Smythe`;
    const to = gpProviderAddress(withSurname(family), 'YYYYMMDD');
    expect(to).toHaveLength(100);
    expect(to.startsWith('GPPROVIDER_9990000018_19580314_Featherstonehaugh-')).toBe(true);
  });

  it('does not end a cut surname in white space', () => {
    const family = `${'A'.repeat(68)} Bee`;
    expect(gpProviderAddress(withSurname(family), 'YYYYMMDD')).toBe(
      `GPPROVIDER_9990000018_19580314_${'A'.repeat(68)}`,
    );
  });

  it('refuses a surname with nothing a MESH header can carry, without quoting it', () => {
    try {
      gpProviderAddress(withSurname('李'), 'YYYYMMDD');
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { field: 'patient.name.family', reason: 'has no characters a MESH address can carry' },
      ]);
      expect((error as Error).message).not.toContain('李');
    }
  });

  it('keeps the subject printable ASCII within 500 characters', () => {
    const snapshot = snapshotFixture((s) => {
      s.patient.name.given = [
        'Zoë',
        'Ångström'.repeat(12),
        'B'.repeat(100),
        'C'.repeat(100),
        'D'.repeat(100),
      ];
      s.patient.name.family = 'Ní Bhriain\tx';
    });
    const { subject } = meshMetadataFor({ snapshot, version: 1, messageHeaderId: HEADER_ID });
    expect(subject.length).toBeLessThanOrEqual(MEX_SUBJECT_MAX_LENGTH);
    expect(subject).toMatch(/^[\x20-\x7E]+$/);
    expect(subject.startsWith('Consultation report for Zoe AngstromAngstrom')).toBe(true);
  });
});
