/**
 * A whole consultation snapshot logged by mistake, in every shape a careless log call could take and at every
 * level: no patient value reaches the output.
 */
import type { Level } from 'pino';
import { createLogger } from '../../../common/logger';
import type { ConsultationSnapshot } from '../../../domain/snapshot';
import { snapshotAt } from '../../workflow/support/snapshots';

const snapshot: ConsultationSnapshot = {
  ...snapshotAt(Date.parse('2026-11-20T10:42:00Z'), 3),
};
snapshot.consultation.attachments = [
  {
    id: 'a1',
    title: 'Wound photograph of Mrs Whitfield',
    contentType: 'image/png',
    data: 'iVBORw0KGgoAAAANSUhEUgAAAAE=',
  },
];

/** Every string the snapshot holds about the patient and the consultation (4+ characters: "T" is everywhere). */
function patientValues(value: unknown): string[] {
  // Consultation times are not about the patient; a 4+ character floor skips codes such as "T".
  if (typeof value === 'string') return value.length >= 4 && !/T\d\d:/.test(value) ? [value] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(patientValues);
}
const PHI = [...patientValues(snapshot.patient), ...patientValues(snapshot.consultation)];

const LEVELS: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** The ways a snapshot ends up in a log call. */
const MISTAKES: [string, (log: ReturnType<typeof createLogger>, level: Level) => void][] = [
  ['as the merging object', (log, level) => log[level](snapshot, 'saved')],
  ['under its own name', (log, level) => log[level]({ snapshot }, 'saved')],
  [
    'nested under innocent names',
    (log, level) => log[level]({ encounter: { saves: [{ input: snapshot }] } }),
  ],
  [
    'its parts one by one',
    (log, level) => log[level]({ ...snapshot.patient, ...snapshot.consultation }, 'parts'),
  ],
  ['interpolated into the message', (log, level) => log[level]('saved %j and %o', snapshot, { s: snapshot })],
  [
    'in a child logger’s bindings',
    (log, level) => log.child({ context: { saved: snapshot } })[level]('child'),
  ],
  [
    'attached to a logged error',
    (log, level) => log[level](Object.assign(new Error('save failed'), { input: snapshot }), 'failed'),
  ],
  [
    'attached to an error under err',
    (log, level) => log[level]({ err: Object.assign(new Error('save failed'), { detail: { snapshot } }) }),
  ],
];

describe.each(MISTAKES)('a snapshot logged %s', (_, mistake) => {
  it.each(LEVELS)('at %s leaves no patient value in the output', (level) => {
    const lines: string[] = [];
    const log = createLogger('phi-scan', 'trace', { write: (line: string) => void lines.push(line) });
    mistake(log, level);
    expect(lines).toHaveLength(1);
    const output = lines.join('');
    expect(output).toContain('[redacted]');
    expect(PHI.filter((value) => output.includes(value))).toEqual([]);
  });
});

it('keeps what an operator needs: the encounter id, the logger name and an error’s message', () => {
  const lines: string[] = [];
  const log = createLogger('phi-scan', 'info', { write: (line: string) => void lines.push(line) });
  log.error(Object.assign(new Error('save failed'), { input: snapshot }), 'failed');
  log.info(snapshot, 'saved');
  log.child({ reqId: 'r1' }).child({ practiceOds: 'Y90001' }).info('grandchild');
  const [failed, saved, grandchild] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(failed).toMatchObject({ name: 'phi-scan', err: { type: 'Error', message: 'save failed' } });
  expect(saved).toMatchObject({ encounterId: snapshot.encounterId, revision: 3, patient: '[redacted]' });
  expect(grandchild).toMatchObject({ name: 'phi-scan', reqId: 'r1', practiceOds: 'Y90001' });
});

it('censors the PDS answer and the MESH GPPROVIDER address built from the patient', () => {
  const lines: string[] = [];
  const log = createLogger('phi-scan', 'info', { write: (line: string) => void lines.push(line) });
  const { nhsNumber, birthDate } = snapshot.patient;
  const family = snapshot.patient.name.family;
  const pdsPatient = {
    nhsNumber,
    familyName: family,
    birthDate,
    deceasedAt: '2026-01-02',
    securityLabel: 'U',
  };
  log.warn({ lookup: { patient: pdsPatient, answer: pdsPatient } }, 'pds');
  log.warn({ headers: { 'mex-to': `GPPROVIDER_${nhsNumber}_${birthDate}_${family}` } }, 'mesh');
  const output = lines.join('');
  expect([nhsNumber, birthDate, family, '2026-01-02'].filter((value) => output.includes(value))).toEqual([]);
  expect(output).toContain('"securityLabel":"U"');
});
