/**
 * The delivery activity against the real mesh-sandbox behind the MESH router: what it sends (to the patient's
 * GPPROVIDER address, which the router delivers to the registered practice's mailbox), and that a retried attempt
 * never posts a second copy of a version MESH already took (a worker killed between the POST and reporting completion).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeliveryActivities } from '../../../activities/delivery/send-report';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { parseItk3Response, readFhir } from '../../../integrations/itk3';
import { createMeshClient } from '../../../integrations/mesh/client';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import type { SendReportInput } from '../../../workflows/encounter-activities';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { freshTestArchive } from '../../support/archive';
import { closeRouters, startTestRouter } from '../mesh-router/support';

const snapshot = parseConsultationSnapshot(
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json'), 'utf8')),
);
/** Hillside Surgery (Y90002), where PDS registers the example's patient: the router delivers there. */
const RECIPIENT = 'X26ABC2';

describe('sendReport delivery activity', () => {
  let routerUrl: string;
  const viaRouter = (mailbox: string) => meshTestConfig(mailbox, { url: routerUrl });
  let delivery: ReturnType<typeof createDeliveryActivities>;
  let archive: Awaited<ReturnType<typeof freshTestArchive>>;
  const input: SendReportInput = {
    snapshot,
    version: 1,
    firstBuiltAt: '2026-11-20T13:45:00.000Z',
    registeredPracticeOds: 'Y90002',
    registeredPracticeName: 'Hillside Surgery',
    senderMailbox: 'X26ABC1',
  };

  /** One activity attempt, as Temporal would run it (attempt > 1 after a crash or a retryable failure). */
  const sendAttempt = (attempt: number) =>
    new MockActivityEnvironment({ attempt }).run<[SendReportInput], { meshMessageId: string }, typeof delivery.sendReport>(
      delivery.sendReport,
      input,
    );
  const reconcile = (localId: string) =>
    new MockActivityEnvironment().run(delivery.reconcileUnknownSend, { senderMailbox: 'X26ABC1', localId });

  beforeAll(async () => {
    routerUrl = (await startTestRouter()).url;
  });
  // Each test sends the same version afresh (MESH reset): a fresh archive, as its copy would be a different send.
  beforeEach(async () => {
    await resetMesh();
    archive = await freshTestArchive();
    delivery = createDeliveryActivities({ mailboxes: meshMailboxes(viaRouter('X26ABC1')), archive: archive.archive });
  });
  afterEach(async () => {
    await archive.close();
  });
  afterAll(async () => {
    await closeRouters();
    await resetMesh();
  });

  async function recipientInbox(): Promise<string[]> {
    return (await createMeshClient(viaRouter(RECIPIENT)).listInboxPage()).messageIds;
  }

  it('posts one ITK3 XML message, routed to the registered practice, with the version identity as local id', async () => {
    const { meshMessageId } = await sendAttempt(1);
    expect(await recipientInbox()).toEqual([meshMessageId]);
    const identity = await delivery.reportIdentity({ encounterId: snapshot.encounterId, version: 1, firstBuiltAt: input.firstBuiltAt });
    const message = await createMeshClient(viaRouter(RECIPIENT)).download(meshMessageId);
    expect(message.localId).toBe(identity.localId);
    expect(message.workflowId).toBe('GPFED_CONSULT_REPORT');
    expect(message.contentType).toBe('application/fhir+xml');
    expect(message.body.toString('utf8')).toContain(`<id value="${identity.messageHeaderId}"/>`);
    expect(() => parseItk3Response(message.body)).toThrow(); // a Send Document message, not an acknowledgement
    expect(readFhir(message.body)).toBeDefined();
  });

  it('a retried attempt after MESH took the message returns that message and posts nothing', async () => {
    const first = await sendAttempt(1);
    const retried = await sendAttempt(2);
    expect(retried.meshMessageId).toBe(first.meshMessageId);
    expect(await recipientInbox()).toEqual([first.meshMessageId]);
  });

  it('a retried attempt whose first attempt never reached MESH sends now', async () => {
    const retried = await sendAttempt(3);
    expect(await recipientInbox()).toEqual([retried.meshMessageId]);
  });

  it('reconciliation reports accepted with the message id, or not-found', async () => {
    const identity = await delivery.reportIdentity({ encounterId: snapshot.encounterId, version: 1, firstBuiltAt: input.firstBuiltAt });
    const before = await reconcile(identity.localId);
    expect(before).toEqual({ status: 'not-found' });
    const { meshMessageId } = await sendAttempt(1);
    const after = await reconcile(identity.localId);
    expect(after).toEqual({ status: 'accepted', meshMessageId });
  });
});
