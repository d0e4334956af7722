/**
 * The snapshot contract's bounds hold before its elements are validated: a small body of many bad items, an over-long
 * string or an unknown key is answered with a few issues that echo nothing the sender wrote.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MAX_SNAPSHOT_LIST_ITEMS, parseConsultationSnapshot } from '../../../domain/snapshot';
import { MAX_REPORTED_ISSUES } from '../../../domain/validation-error';
import { validationIssues } from '../../support/validation-issues';

const example = (): Record<string, any> =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json'),
      'utf8',
    ),
  );

const withConsultation = (fields: Record<string, unknown>): Record<string, any> => {
  const snapshot = example();
  return { ...snapshot, consultation: { ...snapshot.consultation, ...fields } };
};

describe('snapshot input bounds', () => {
  it('answers 200,000 bad items in a 0.4 MB body with one issue about the array', () => {
    const input = withConsultation({ followUpActions: Array(200_000).fill(1) });
    expect(JSON.stringify(input).length).toBeLessThan(500_000);
    expect(validationIssues(() => parseConsultationSnapshot(input))).toEqual([
      { field: 'consultation.followUpActions', reason: 'allows at most 100 item(s)' },
    ]);
  });

  it('refuses lists that are each within bounds but together hold more items than the snapshot allows', () => {
    const sections = Array.from({ length: 100 }, () => ({ title: 'Seen', items: Array(500).fill({}) }));
    expect(validationIssues(() => parseConsultationSnapshot(withConsultation({ sections })))).toEqual([
      { field: '(root)', reason: `must hold at most ${MAX_SNAPSHOT_LIST_ITEMS} list items in all` },
    ]);
  });

  it('refuses an over-long string by its length, also where the contract checks a pattern', () => {
    const input: Record<string, any> = { ...example(), encounterId: 'a'.repeat(1 << 20) };
    input.patient = { ...input.patient, name: { ...input.patient.name, family: 'b'.repeat(1 << 20) } };
    expect(validationIssues(() => parseConsultationSnapshot(input))).toEqual([
      { field: 'encounterId', reason: 'must be at most 36 characters' },
      { field: 'patient.name.family', reason: 'must be at most 100 characters' },
    ]);
  });

  it(`lists at most ${MAX_REPORTED_ISSUES} issues and says how many more there are`, () => {
    const items = Array.from({ length: 60 }, () => ({
      text: 'Seen',
      coding: { system: 'not-a-uri', code: 'a' },
    }));
    const issues = validationIssues(() =>
      parseConsultationSnapshot(withConsultation({ sections: [{ title: 'Seen', items }] })),
    );
    expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(issues[0]).toEqual({
      field: 'consultation.sections[0].items[0].coding.system',
      reason: 'must be a code system URI',
    });
    expect(issues.at(-1)).toEqual({ field: '(further issues)', reason: '10 more not listed' });
  });

  it('names the object holding unknown fields, never the unknown names', () => {
    const input = example();
    input.patient = { ...input.patient, 'Whitfield-maiden-name': 'x', 'mother-Eleanor': 'y' };
    const issues = validationIssues(() => parseConsultationSnapshot(input));
    expect(issues).toEqual([{ field: 'patient', reason: 'has 2 unknown field(s)' }]);
  });

  it('still reports a repeated attachment id', () => {
    const attachment = { id: 'a1', title: 'Letter', contentType: 'application/pdf', data: 'JVBERi0=' };
    const issues = validationIssues(() =>
      parseConsultationSnapshot(
        withConsultation({ attachments: [attachment, { ...attachment }, { ...attachment, id: 'a2' }] }),
      ),
    );
    expect(issues).toEqual([
      { field: 'consultation.attachments[1].id', reason: 'duplicates an earlier attachment id' },
    ]);
  });
});
