import { CONFIDENTIALITY_LINE } from '../../../integrations/report/draw/page-furniture';
import { renderConsultationReport } from '../../../integrations/report/render-report';
import {
  CONFIDENTIAL_CONSULTATION_STATEMENT,
  CONFIDENTIAL_ITEM_TEXT,
  SUMMARY_REASON,
} from '../../../integrations/report/report-content';
import { colours } from '../../../integrations/report/theme';
import { ValidationError } from '../../../domain/validation-error';
import { extractPages, extractText } from './support/pdf-text';
import { colourOperator, inflatedStreams } from './support/pdf-streams';
import { render, squash } from './support/render';
import { exampleSnapshot, temporaryResident } from './support/snapshots';

describe('consultation report PDF: fields and formats', () => {
  let text: string;
  beforeAll(async () => {
    text = extractText(await render(temporaryResident(), 3));
  });

  it('has the header: title, confidentiality line, GP Connect, version, related documents, page', () => {
    for (const expected of [
      'CONSULTATION REPORT',
      CONFIDENTIALITY_LINE,
      'GP Connect',
      'Version 3',
      'Number of related documents: 0',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('has the patient block in the specified formats', () => {
    for (const expected of [
      'WHITFIELD, Eleanor Rose (Mrs)',
      'DOB 14-Mar-1958',
      'NHS No 999 000 0018',
      'Tel No 01632 960123',
      'Mobile No 07700 900123',
      'Current Tel No 01632 960456',
      'Home/Registered Address 12 Hill Road',
      'Current Address Flat 3, 8 Quay Street',
      'EX2 4BB',
      'EX1 2CC',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('has the consulting organisation block', () => {
    for (const expected of [
      'Consulting Organisation',
      'Clinician HART, Amelia (Dr) – General Practitioner',
      'Tel No 01632 960001',
      'Email riverside.practice@example.nhs.uk',
      'Branch Location Riverside Extended Access Hub',
      'Organisation Riverside Medical Centre',
      '1 Riverside Walk, Exampleton, EX1 1AA',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('has the consultation date in UK time and the receiving practice', () => {
    expect(text).toContain('Consultation Date 20-Nov-2026 10:15');
    expect(text).toContain('Receiving GP Practice Hill Surgery (Y90002)');
  });

  it('has the clinical notes: summary reason, section titles with their items, codes, follow-up actions', () => {
    expect(text).toContain('CLINICAL NOTES');
    expect(text).toContain('Summary Reason');
    expect(squash(text)).toContain(squash(SUMMARY_REASON));
    expect(text).toMatch(
      /History\n\s*Three days of productive cough and fever\. No chest pain\. Non-smoker\./,
    );
    expect(text).toContain('Lower respiratory tract infection [SNOMED CT 50417007]');
    expect(text).toMatch(
      /Examination\n\s*Temperature 38\.1 C, pulse 96, SpO2 96% on air\. Coarse crackles right base\./,
    );
    expect(text).toMatch(
      /Plan\n\s*Amoxicillin 500 mg three times a day for 5 days\. Safety-netting advice given\./,
    );
    expect(text).toMatch(
      /Follow-up Actions\n\s*• Registered practice to review in 1 week if symptoms persist\./,
    );
  });

  it('ends each page with the footer: confidentiality line and page number', () => {
    const lastLine = text.trim().split('\n').pop();
    expect(lastLine).toBe(`${CONFIDENTIALITY_LINE} Page 1 of 1`);
  });

  it('counts the related documents (attachments)', async () => {
    const snapshot = temporaryResident((input) => {
      input.consultation.attachments = [
        { id: 'ecg-1', title: 'ECG', contentType: 'application/pdf', data: 'JVBERi0=' },
        { id: 'photo-1', title: 'Photo', contentType: 'image/jpeg', data: '/9j/4A==' },
      ];
    });
    expect(extractText(await render(snapshot))).toContain('Number of related documents: 2');
  });

  it('shows a summer consultation in British Summer Time', async () => {
    const snapshot = temporaryResident((input) => {
      input.consultation.startedAt = '2026-07-01T09:05:00Z';
      input.savedAt = '2026-07-01T09:40:00Z';
    });
    expect(extractText(await render(snapshot))).toContain('Consultation Date 01-Jul-2026 10:05');
  });

  it('draws in NHS Blue and NHS Light Blue', async () => {
    const content = inflatedStreams(await render(temporaryResident()));
    expect(content).toContain(colourOperator(colours.nhsBlue, 'scn'));
    expect(content).toContain(colourOperator(colours.nhsLightBlue, 'SCN'));
  });
});

describe('consultation report PDF: confidentiality', () => {
  it('replaces the notes of a confidential consultation and omits the consulting organisation fields', async () => {
    const snapshot = exampleSnapshot('consultation-confidential.json', (input) => {
      input.consultation.followUpActions = ['Sexual health clinic follow-up in 2 weeks'];
    });
    const text = extractText(await render(snapshot));
    expect(text).toContain(CONFIDENTIAL_CONSULTATION_STATEMENT);
    for (const kept of [
      "O'BRIEN-NGATA, Tomás (Mr)",
      'DOB 02-Jul-1984',
      'NHS No 999 000 0026',
      'Consultation Date 20-Nov-2026 10:15',
      'Receiving GP Practice Hill Surgery (Y90002)',
      'Version 1',
    ]) {
      expect(text).toContain(kept);
    }
    for (const withheld of [
      'Consulting Organisation',
      'Clinician',
      'HART',
      'General Practitioner',
      '01632 960001',
      'Email',
      'riverside.practice',
      'Branch Location',
      'Extended Access Hub',
      'Organisation',
      'Riverside Medical Centre',
      'Riverside Walk',
      'Details recorded in the clinical system',
      'Summary Reason',
      'Follow-up Actions',
      'Sexual health',
    ]) {
      expect(text).not.toContain(withheld);
    }
  });

  it('replaces each confidential item, its code included, and keeps the rest', async () => {
    const snapshot = temporaryResident((input) => {
      const history = input.consultation.sections[0];
      if (history?.items[1]) history.items[1].confidential = true;
    });
    const text = extractText(await render(snapshot));
    expect(text).toMatch(
      /History\n\s*Three days of productive cough and fever\. No chest pain\. Non-smoker\.\n\s*Confidential item\n/,
    );
    expect(text).not.toContain('Lower respiratory tract infection');
    expect(text).not.toContain('50417007');
    expect(text).toContain('Consulting Organisation');
    expect(text.split(CONFIDENTIAL_ITEM_TEXT)).toHaveLength(2);
  });
});

describe('consultation report PDF: optional fields', () => {
  it('prints no label for an empty optional field', async () => {
    const snapshot = exampleSnapshot('consultation-regular-registration.json', (input) => {
      delete input.hostingPractice.phone;
      delete input.hostingPractice.email;
      delete input.hostingPractice.branchLocation;
      input.consultation.followUpActions = [];
    });
    const text = extractText(await render(snapshot));
    expect(text).toContain('BENNETT, Harold\n');
    expect(text).not.toContain('BENNETT, Harold (');
    for (const absent of [
      'Tel No',
      'Mobile No',
      'Current Tel No',
      'Current Address',
      'Email',
      'Branch Location',
      'Follow-up Actions',
    ]) {
      expect(text).not.toContain(absent);
    }
    expect(text).toContain('Home/Registered Address 12 Hill Road');
    expect(text).toContain('Clinician HART, Amelia (Dr) – General Practitioner');
  });
});

describe('consultation report PDF: names in other scripts', () => {
  it('renders Greek and Cyrillic names so that they extract as written', async () => {
    const snapshot = temporaryResident((input) => {
      input.patient.name = { title: 'Κα', given: ['Ελένη'], family: 'Παπαδοπούλου' };
      input.clinician.name = { given: ['Анна', 'Сергеевна'], family: 'Иванова' };
    });
    const [page] = extractPages(await render(snapshot));
    expect(page).toContain('ΠΑΠΑΔΟΠΟΎΛΟΥ, Ελένη (Κα)');
    expect(page).toContain('Clinician ИВАНОВА, Анна Сергеевна – General Practitioner');
  });
});

describe('consultation report PDF: input contract', () => {
  it('names each bad field of the render input', async () => {
    const rejection = renderConsultationReport({
      snapshot: temporaryResident(),
      version: 0,
      receivingPractice: { odsCode: 'y9' },
    });
    await expect(rejection).rejects.toBeInstanceOf(ValidationError);
    await expect(rejection).rejects.toMatchObject({
      issues: [
        { field: 'version', reason: 'must be at least 1' },
        { field: 'receivingPractice.odsCode', reason: expect.stringContaining('ODS code') },
      ],
    });
  });
});
