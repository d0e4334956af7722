/** Consultation snapshots for the report tests: the committed examples and variants built from them. */
import fs from 'node:fs';
import path from 'node:path';
import {
  parseConsultationSnapshot,
  type ConsultationSnapshot,
  type ConsultationSnapshotInput,
} from '../../../../domain/snapshot';

const examplesDir = path.resolve(__dirname, '../../../../examples');

export function exampleInput(name: string): ConsultationSnapshotInput {
  return JSON.parse(fs.readFileSync(path.join(examplesDir, name), 'utf8')) as ConsultationSnapshotInput;
}

/** A validated example, optionally changed first (the change sees a private copy). */
export function exampleSnapshot(
  name: string,
  change: (input: ConsultationSnapshotInput) => void = () => {},
): ConsultationSnapshot {
  const input = exampleInput(name);
  change(input);
  return parseConsultationSnapshot(input);
}

export const temporaryResident = (
  change?: (input: ConsultationSnapshotInput) => void,
): ConsultationSnapshot => exampleSnapshot('consultation-temporary-resident.json', change);

const SENTENCES = [
  'Presented with intermittent epigastric pain after meals for six weeks, worse at night and eased by antacids.',
  'No weight loss, dysphagia, haematemesis or melaena; bowel habit unchanged; appetite normal.',
  'Takes ibuprofen most days for knee pain; advised to stop and use paracetamol instead.',
  'Abdomen soft, mild epigastric tenderness, no masses, no organomegaly; bowel sounds normal.',
];

/** Notes numbered so a test can find each one: item `n` reads `Note n: ...`. */
export function longNotes(sectionCount: number, itemsPerSection: number): ConsultationSnapshot {
  return temporaryResident((input) => {
    input.consultation.sections = Array.from({ length: sectionCount }, (_, s) => ({
      title: `Section ${s + 1}`,
      items: Array.from({ length: itemsPerSection }, (_, i) => ({
        text: `Note ${s * itemsPerSection + i + 1}: ${SENTENCES.slice(0, 1 + ((s + i) % SENTENCES.length)).join(' ')}`,
      })),
    }));
  });
}

/** One-line notes: `firstSectionItems` under "Section 1", then three under "Section 2". */
export function shortNotes(firstSectionItems: number): ConsultationSnapshot {
  const notes = (count: number, from: number) =>
    Array.from({ length: count }, (_, i) => ({ text: `Short note ${from + i}.` }));
  return temporaryResident((input) => {
    input.consultation.sections = [
      { title: 'Section 1', items: notes(firstSectionItems, 1) },
      { title: 'Section 2', items: notes(3, firstSectionItems + 1) },
    ];
  });
}

/** The receiving practice the tests address reports to. */
export const receivingPractice = { odsCode: 'Y90002', name: 'Hill Surgery' };
