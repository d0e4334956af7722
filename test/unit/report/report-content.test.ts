import {
  CONFIDENTIAL_CONSULTATION_STATEMENT,
  SUMMARY_REASON,
  buildReportContent,
  type ReportField,
} from '../../../integrations/report/report-content';
import { exampleSnapshot, receivingPractice, temporaryResident } from './support/snapshots';

const labels = (fields: ReportField[]): string[] => fields.map((f) => f.label);

describe('report content (what the PDF says)', () => {
  it('carries every field of the layout for a temporary resident', () => {
    const content = buildReportContent({ snapshot: temporaryResident(), version: 2, receivingPractice });
    expect(content.version).toBe(2);
    expect(content.patientName).toBe('WHITFIELD, Eleanor Rose (Mrs)');
    expect(content.patientDetails).toEqual([
      { label: 'DOB', lines: ['14-Mar-1958'] },
      { label: 'NHS No', lines: ['999 000 0018'] },
      { label: 'Tel No', lines: ['01632 960123'] },
      { label: 'Mobile No', lines: ['07700 900123'] },
      { label: 'Current Tel No', lines: ['01632 960456'] },
    ]);
    expect(content.patientAddresses).toEqual([
      { label: 'Home/Registered Address', lines: ['12 Hill Road', 'Exampleton', 'EX2 4BB'] },
      { label: 'Current Address', lines: ['Flat 3, 8 Quay Street', 'Exampleton', 'EX1 2CC'] },
    ]);
    expect(content.consultingOrganisation).toEqual([
      { label: 'Clinician', lines: ['HART, Amelia (Dr) – General Practitioner'] },
      { label: 'Tel No', lines: ['01632 960001'] },
      { label: 'Email', lines: ['riverside.practice@example.nhs.uk'] },
      { label: 'Branch Location', lines: ['Riverside Extended Access Hub'] },
      { label: 'Organisation', lines: ['Riverside Medical Centre', '1 Riverside Walk, Exampleton, EX1 1AA'] },
    ]);
    expect(content.consultation).toEqual([
      { label: 'Consultation Date', lines: ['20-Nov-2026 10:15'] },
      { label: 'Receiving GP Practice', lines: ['Hill Surgery (Y90002)'] },
    ]);
    expect(content.clinicalNotes).toMatchObject({ kind: 'notes', summaryReason: SUMMARY_REASON });
  });

  it('names the receiving practice by ODS code alone when its name is not known', () => {
    const content = buildReportContent({
      snapshot: temporaryResident(),
      version: 1,
      receivingPractice: { odsCode: 'Y90002' },
    });
    expect(content.consultation[1]).toEqual({ label: 'Receiving GP Practice', lines: ['Y90002'] });
  });

  it('counts no related documents for a confidential consultation, whose linked documents are not sent', () => {
    const snapshot = exampleSnapshot('consultation-confidential.json', (input) => {
      input.consultation.attachments = [{ id: 'ecg-1', title: 'ECG', contentType: 'application/pdf', data: 'JVBERi0=' }];
    });
    expect(buildReportContent({ snapshot, version: 1, receivingPractice }).relatedDocumentCount).toBe(0);
  });

  it('withholds the consulting organisation block and the notes of a confidential consultation', () => {
    const snapshot = exampleSnapshot('consultation-confidential.json', (input) => {
      input.consultation.followUpActions = ['Review in clinic'];
    });
    const content = buildReportContent({ snapshot, version: 1, receivingPractice });
    expect(content.consultingOrganisation).toEqual([]);
    expect(content.clinicalNotes).toEqual({
      kind: 'confidential',
      statement: CONFIDENTIAL_CONSULTATION_STATEMENT,
    });
    expect(labels(content.consultation)).toEqual(['Consultation Date', 'Receiving GP Practice']);
    expect(content.patientName).toBe("O'BRIEN-NGATA, Tomás (Mr)");
  });

  it('replaces a confidential item, code and all, and keeps the others', () => {
    const snapshot = temporaryResident((input) => {
      const history = input.consultation.sections[0];
      if (history?.items[1]) history.items[1].confidential = true;
    });
    const notes = buildReportContent({ snapshot, version: 1, receivingPractice }).clinicalNotes;
    if (notes.kind !== 'notes') throw new Error('expected notes');
    expect(notes.sections[0]?.items).toEqual([
      { kind: 'text', text: 'Three days of productive cough and fever. No chest pain. Non-smoker.' },
      { kind: 'confidential' },
    ]);
  });

  it('drops empty optional fields, so no label stands alone', () => {
    const snapshot = exampleSnapshot('consultation-regular-registration.json', (input) => {
      delete input.hostingPractice.phone;
      delete input.hostingPractice.email;
      delete input.hostingPractice.branchLocation;
    });
    const content = buildReportContent({ snapshot, version: 1, receivingPractice });
    expect(labels(content.patientDetails)).toEqual(['DOB', 'NHS No']);
    expect(labels(content.patientAddresses)).toEqual(['Home/Registered Address']);
    expect(labels(content.consultingOrganisation)).toEqual(['Clinician', 'Organisation']);
    expect(content.patientName).toBe('BENNETT, Harold');
  });
});
