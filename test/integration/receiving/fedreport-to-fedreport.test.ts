/**
 * fedreport to fedreport, as the local stack runs the example federation: a consultation hosted at Riverside Medical
 * Centre (Y90001) for a patient registered at Hillside Surgery (Y90002) is reported through the MESH router to
 * Hillside's mailbox, where fedreport's own receiver files it (on receipt) and answers 20013 then 30001; the encounter
 * reaches `acknowledged`. Neither workflow's history, nor the Temporal database, holds the patient in plaintext.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { encounterStatus, submitConsultationSaved } from '../../../client/encounters';
import { receivedMessageWorkflowId } from '../../../domain/received-message-identity';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { statusQuery } from '../../../workflows/encounter-messages';
import { PROJECT_ROOT } from '../../../tooling/paths';
import { resetMesh } from '../../support/mesh';
import { foundIn } from '../../support/phi-scan';
import { testTemporalDbFile } from '../../support/servers';
import { until } from '../inbox/support/inbox-stack';
import { FederationStack } from './support/federation-stack';

const snapshot = parseConsultationSnapshot({
  ...JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'consultation-temporary-resident.json'), 'utf8'),
  ),
  encounterId: '3c0f6a2e-8d41-4b7a-9e25-71d0c4b8a6f3',
  savedAt: new Date().toISOString(),
});
const { patient } = snapshot;
const PHI = [
  patient.nhsNumber,
  patient.name.family,
  ...patient.name.given,
  patient.birthDate,
  patient.birthDate.replace(/-/g, ''),
];

let stack: FederationStack;
beforeAll(async () => {
  await Promise.all(['X26ABC1', 'X26ABC2'].map((mailbox) => resetMesh(mailbox)));
  stack = await FederationStack.start(fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-f2f-')));
}, 180_000);
afterAll(async () => {
  await stack?.client.workflow
    .getHandle(encounterWorkflowId(snapshot.encounterId))
    .terminate('test finished')
    .catch(() => undefined);
  await stack?.close();
});

let receivedWorkflowId: string;

test('the encounter is acknowledged by fedreport receiving at the registered practice, which filed the report', async () => {
  await submitConsultationSaved(stack.client, snapshot);
  const status = await until(
    'the encounter is acknowledged',
    async () => {
      const current = await encounterStatus(stack.client, snapshot.encounterId);
      return current?.state === 'acknowledged' ? current : undefined;
    },
    120_000,
  );
  expect(status.registeredPracticeOds).toBe('Y90002');
  // Both answers may come in one poll of the sender's inbox, which handles them at once: in either order.
  expect(status.codesReceived.map((c) => [c.source, c.code, c.positive])).toEqual(
    expect.arrayContaining([
      ['itk3-infrastructure', '20013', true],
      ['itk3-business', '30001', true],
    ]),
  );
  expect(status.codesReceived).toHaveLength(2);

  const { lastMessageHeaderId } = await stack.client.workflow
    .getHandle(encounterWorkflowId(snapshot.encounterId))
    .query(statusQuery);
  receivedWorkflowId = receivedMessageWorkflowId('X26ABC2', { messageHeaderId: lastMessageHeaderId! });
  expect(await stack.client.workflow.getHandle(receivedWorkflowId).result()).toMatchObject({
    infrastructureCode: '20013',
    businessCode: '30001',
  });
  expect(await stack.documentsOfEncounter(snapshot.encounterId)).toEqual([
    { recipientOds: 'Y90002', state: 'filed' },
  ]);
});

test("both histories, the sender's encounter and the receiver's message, hold no patient data in plaintext", async () => {
  for (const workflowId of [encounterWorkflowId(snapshot.encounterId), receivedWorkflowId]) {
    const history = historyToJSON(await stack.client.workflow.getHandle(workflowId).fetchHistory());
    expect(history.length).toBeGreaterThan(1_000);
    // As a word: a short given name may turn up by chance inside the base64 of an encrypted payload.
    expect(
      PHI.filter((value) => new RegExp(`(?<![A-Za-z0-9+/])${value}(?![A-Za-z0-9+/])`).test(history)),
    ).toEqual([]);
  }
  const db = testTemporalDbFile();
  expect(foundIn([db, `${db}-wal`], [receivedWorkflowId, ...PHI])).toEqual([receivedWorkflowId]);
});
