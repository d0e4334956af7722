/**
 * The delivery activity with attachments by reference, against mesh-sandbox behind the MESH router: a snapshot whose
 * attachments are in the archive sends the same bytes as the same snapshot with them inline (as histories recorded
 * before references hold it); one whose archived content does not match its digest fails for good, posting nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeliveryActivities } from '../../../activities/delivery/send-report';
import { parseConsultationSnapshot, type ConsultationSnapshot } from '../../../domain/snapshot';
import { createMeshClient } from '../../../integrations/mesh/client';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import type { OpenArchive } from '../../../integrations/store/open-archive';
import {
  storeSnapshotAttachments,
  type AttachmentStore,
} from '../../../integrations/store/snapshot-attachments';
import type { SendReportInput } from '../../../workflows/encounter-activities';
import { freshTestArchive, openSharedTestArchive } from '../../support/archive';
import { TEST_KEYRING } from '../../support/codec';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { closeRouters, startTestRouter } from '../mesh-router/support';

const EXAMPLE = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');
/** Hillside Surgery (Y90002), where PDS registers the example's patient. */
const RECIPIENT = 'X26ABC2';
const SENDER = 'X26ABC1';

const input = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
input.consultation.attachments = [
  {
    id: 'ecg',
    title: 'ECG',
    contentType: 'application/pdf',
    data: crypto.randomBytes(50_000).toString('base64'),
  },
];
const inline = parseConsultationSnapshot(input);

describe('sendReport with attachments by reference', () => {
  let routerUrl: string;
  let archive: OpenArchive;
  let referenced: ConsultationSnapshot;

  // Each send is a first send of version 1: its own archive, as the copy of one send would refuse another's MESH id.
  const send = async (snapshot: ConsultationSnapshot, attachments: AttachmentStore | undefined) => {
    const copies = await freshTestArchive();
    const delivery = createDeliveryActivities({
      mailboxes: meshMailboxes(meshTestConfig(SENDER, { url: routerUrl })),
      archive: copies.archive,
      attachments,
    });
    const sendInput: SendReportInput = {
      snapshot,
      version: 1,
      firstBuiltAt: '2026-11-20T13:45:00.000Z',
      registeredPracticeOds: 'Y90002',
      registeredPracticeName: 'Hillside Surgery',
      senderMailbox: SENDER,
    };
    try {
      return await new MockActivityEnvironment().run(delivery.sendReport, sendInput);
    } finally {
      await copies.close();
    }
  };
  const received = async (): Promise<Buffer[]> => {
    const recipient = createMeshClient(meshTestConfig(RECIPIENT, { url: routerUrl }));
    const { messageIds } = await recipient.listInboxPage();
    return Promise.all(messageIds.map(async (id) => (await recipient.download(id)).body));
  };

  beforeAll(async () => {
    routerUrl = (await startTestRouter()).url;
    archive = await openSharedTestArchive(TEST_KEYRING);
    referenced = await storeSnapshotAttachments(archive.repository, inline);
  });
  beforeEach(() => resetMesh());
  afterAll(async () => {
    await archive.close();
    await closeRouters();
    await resetMesh();
  });

  it('sends the same bytes whether the attachments are in the archive or inline', async () => {
    await send(referenced, archive.repository);
    const [byReference] = await received();
    await resetMesh();
    await send(inline, undefined);
    const [byValue] = await received();
    expect(byReference!.toString('utf8')).toContain(input.consultation.attachments[0].data);
    expect(byReference!.equals(byValue!)).toBe(true);
  });

  it('fails for good, naming the attachment, when the archived content does not match its digest; nothing is sent', async () => {
    const altered: AttachmentStore = {
      storeAttachment: (content, mediaType) => archive.repository.storeAttachment(content, mediaType),
      readAttachment: async (sha256) => {
        const stored = await archive.repository.readAttachment(sha256);
        return stored && { ...stored, content: Buffer.concat([stored.content, Buffer.from('!')]) };
      },
    };
    const failure = await send(referenced, altered).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'AttachmentIntegrityError', nonRetryable: true });
    expect((failure as Error).message).toMatch(
      /^attachment ecg: the archived content .* does not match its reference/,
    );
    expect(await received()).toEqual([]);
  });
});
