/**
 * The delivery activity keeps the archive's copy of what it sends, on the real PostgreSQL: the exact bytes MESH
 * delivered with their SHA-256 and MESH message id, written before the send and completed after it, one row however
 * often the activity is retried; with the database down the attempt fails retryably and nothing is sent.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeliveryActivities } from '../../../activities/delivery/send-report';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import { createMeshClient } from '../../../integrations/mesh/client';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { createArchiveDb } from '../../../integrations/store/database';
import type { SendReportInput } from '../../../workflows/encounter-activities';
import { archiveRepository, freshTestArchive, sentMessageRows } from '../../support/archive';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { closeRouters, startTestRouter } from '../mesh-router/support';

const snapshot = parseConsultationSnapshot(
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json'),
      'utf8',
    ),
  ),
);
/** Hillside Surgery (Y90002), where PDS registers the example's patient: the router delivers there. */
const RECIPIENT = 'X26ABC2';
const SENDER = 'X26ABC1';

describe('sendReport keeps the archive copy', () => {
  let routerUrl: string;
  let archive: Awaited<ReturnType<typeof freshTestArchive>>;
  const viaRouter = (mailbox: string) => meshTestConfig(mailbox, { url: routerUrl });
  const input: SendReportInput = {
    snapshot,
    version: 1,
    firstBuiltAt: '2026-11-20T13:45:00.000Z',
    registeredPracticeOds: 'Y90002',
    registeredPracticeName: 'Hillside Surgery',
    senderMailbox: SENDER,
  };
  const delivery = (repository = archive.archive) =>
    createDeliveryActivities({ mailboxes: meshMailboxes(viaRouter(SENDER)), archive: repository });
  const sendAttempt = (attempt: number, activities = delivery()) =>
    new MockActivityEnvironment({ attempt }).run<
      [SendReportInput],
      { meshMessageId: string },
      typeof activities.sendReport
    >(activities.sendReport, input);
  const localId = async () =>
    (
      await delivery().reportIdentity({
        encounterId: snapshot.encounterId,
        version: 1,
        firstBuiltAt: input.firstBuiltAt,
      })
    ).localId;
  const recipientInbox = async () =>
    (await createMeshClient(viaRouter(RECIPIENT)).listInboxPage()).messageIds;

  beforeAll(async () => {
    routerUrl = (await startTestRouter()).url;
  });
  beforeEach(async () => {
    await resetMesh();
    archive = await freshTestArchive('postgresql');
  });
  afterEach(async () => {
    await archive.close();
  });
  afterAll(async () => {
    await closeRouters();
    await resetMesh();
  });

  it('archives the exact bytes MESH delivered, their SHA-256, the ids and ODS codes, completed with the MESH id', async () => {
    const { meshMessageId } = await sendAttempt(1);
    const delivered = await createMeshClient(viaRouter(RECIPIENT)).download(meshMessageId);
    const copy = await archive.archive.show(await localId());
    expect(copy).toMatchObject({
      meshMessageId,
      encounterGuid: snapshot.encounterId,
      reportVersion: 1,
      senderOds: snapshot.hostingPractice.odsCode,
      recipientOds: 'Y90002',
      state: 'sent',
      sha256: crypto.createHash('sha256').update(delivered.body).digest('hex'),
      patient: { nhsNumber: snapshot.patient.nhsNumber, birthDate: snapshot.patient.birthDate },
    });
    expect(copy?.body.equals(delivered.body)).toBe(true);
    expect(copy?.sentAt).toBeInstanceOf(Date);
  });

  it('keeps one row when the activity is retried after MESH took the message', async () => {
    const first = await sendAttempt(1);
    const retried = await sendAttempt(2);
    expect(retried).toEqual(first);
    expect(await sentMessageRows(archive.db, await localId())).toBe(1);
    expect((await archive.archive.show(await localId()))?.meshMessageId).toBe(first.meshMessageId);
  });

  it('completes the copy when MESH took the message but the attempt died before recording it', async () => {
    // The first attempt's copy and send, without its completion: the state a worker crash leaves.
    const id = await localId();
    const sent = await sendAttempt(1);
    await archive.db
      .updateTable('sent_messages')
      .set({ state: 'sending', mesh_message_id: null, sent_at: null })
      .execute();
    const retried = await sendAttempt(2);
    expect(retried).toEqual(sent);
    expect(await archive.archive.show(id)).toMatchObject({
      state: 'sent',
      meshMessageId: sent.meshMessageId,
    });
    expect(await recipientInbox()).toEqual([sent.meshMessageId]);
  });

  it('with the database down, fails the attempt retryably and sends nothing', async () => {
    const unreachable = createArchiveDb({ url: 'postgres://fedreport@127.0.0.1:1/none', poolSize: 1 });
    try {
      const failure = await sendAttempt(1, delivery(archiveRepository(unreachable))).catch(
        (error: unknown) => error,
      );
      // The driver's own error, not a non-retryable ApplicationFailure: Temporal retries the attempt.
      expect(failure).toMatchObject({ code: 'ECONNREFUSED' });
      expect(failure).not.toBeInstanceOf(ApplicationFailure);
      expect(await recipientInbox()).toEqual([]);
    } finally {
      await unreachable.destroy();
    }
  });
});
