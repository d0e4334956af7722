/**
 * A document inbox with live workflows, for the document API and CLI tests: a fresh PostgreSQL archive, and a worker
 * running the real `receivedMessageWorkflow` whose activities hold each document in that archive and record its
 * filing there (the document inbox of production), with MESH answers and the PDS decision scripted (30001).
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { archiveDocumentInbox } from '../../activities/receiving/received-document-inbox';
import type { CodecKeyring } from '../../common/codec-keys';
import { receivedMessageWorkflowId } from '../../domain/received-message-identity';
import type { ArchiveDb } from '../../integrations/store/database';
import { FieldEncryption } from '../../integrations/store/field-encryption';
import { ReceivedDocumentQueries } from '../../integrations/store/received-document-queries';
import { ReceivedDocumentRepository } from '../../integrations/store/received-document-repository';
import type { ReceivedAnswer, ReceivedMessageActivities } from '../../workflows/received-message-activities';
import {
  receivedMessageStageQuery,
  receivedMessageWorkflow,
} from '../../workflows/received-message-workflow';
import { startTestWorker, type TestWorker } from '../integration/api/support';
import { ARCHIVE_PATIENT, openTestArchive } from './archive';
import { freshTestDatabase, type TestDatabase } from './databases';

export const INBOX_PDF = Buffer.from('%PDF-1.7 consultation report of Zephyrine Quillfeather');

export interface DocumentInbox {
  databaseUrl: string;
  queries: ReceivedDocumentQueries;
  documents: ReceivedDocumentRepository;
  /** Every ITK3 answer the workflows sent, in order. */
  answers: ReceivedAnswer[];
  /** A Send Document message arrives for the practice: held and awaiting filing when this returns. */
  receive(practiceOds: string): Promise<{ meshMessageId: string; workflowId: string }>;
  close(): Promise<void>;
}

export async function startDocumentInbox(keyring: CodecKeyring, client: Client): Promise<DocumentInbox> {
  const database: TestDatabase = await freshTestDatabase('postgresql');
  const db: ArchiveDb = await openTestArchive(database.url);
  const encryption = new FieldEncryption(keyring, keyring.activeKeyId);
  const documents = new ReceivedDocumentRepository(db, encryption);
  const inbox = archiveDocumentInbox(documents);
  const answers: ReceivedAnswer[] = [];
  const practices = new Map<string, string>();
  const headers = new Map<string, string>();
  const taskQueue = `document-inbox-${crypto.randomUUID()}`;
  const started: string[] = [];

  const activities: ReceivedMessageActivities = {
    async acceptReceivedMessage(input) {
      const messageHeaderId = headers.get(input.meshMessageId)!;
      const practiceOds = practices.get(input.mailbox)!;
      const answerTo = {
        originalMessageHeaderId: messageHeaderId,
        senderReference: crypto.randomUUID(),
        to: input.meshSender,
        workflowId: `${input.meshWorkflowId}_ACK`,
        format: 'xml' as const,
      };
      await inbox.hold({
        mailbox: input.mailbox,
        meshMessageId: input.meshMessageId,
        practiceOds,
        messageHeaderId,
        senderReference: answerTo.senderReference,
        receivedAt: input.receivedAt,
        document: {
          payloadVersion: 'composition',
          documentId: crypto.randomUUID(),
          version: 1,
          senderOdsCode: 'Y90001',
          nhsNumber: ARCHIVE_PATIENT.nhsNumber,
          attachments: [{ contentType: 'application/pdf', base64: INBOX_PDF.toString('base64') }],
        },
      });
      return { outcome: 'accepted', answerTo, practiceOds };
    },
    sendReceivedMessageAnswer: async (answer) => void answers.push(answer),
    filingSettingsOf: async () => ({ mode: 'when-filed', unfiledAlertAfterMs: 24 * 3_600_000 }),
    decideBusinessAnswer: async () => '30001',
    recordFilingOutcome: ({ mailbox, meshMessageId, filing }) =>
      inbox.recordFiling({ mailbox, meshMessageId }, filing),
    raiseReceivedDocumentAlert: async () => undefined,
  };
  const worker: TestWorker = await startTestWorker({
    keyring,
    taskQueue,
    workflowsPath: require.resolve('../../workflows/received-message-workflow'),
    activities,
  });

  return {
    databaseUrl: database.url,
    queries: new ReceivedDocumentQueries(db, encryption),
    documents,
    answers,
    async receive(practiceOds) {
      const mailbox = `${practiceOds}MB`;
      practices.set(mailbox, practiceOds);
      const meshMessageId = `${Date.now()}_${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
      const messageHeaderId = crypto.randomUUID();
      headers.set(meshMessageId, messageHeaderId);
      const workflowId = receivedMessageWorkflowId(mailbox, { messageHeaderId });
      started.push(workflowId);
      const handle = await client.workflow.start(receivedMessageWorkflow, {
        taskQueue,
        workflowId,
        args: [
          {
            mailbox,
            meshMessageId,
            meshWorkflowId: 'GPFED_CONSULT_REPORT',
            meshSender: 'Y90001MB',
            receivedAt: new Date().toISOString(),
          },
        ],
      });
      while ((await handle.query(receivedMessageStageQuery)) === 'validating')
        await new Promise((resolve) => setTimeout(resolve, 100));
      return { meshMessageId, workflowId };
    },
    async close() {
      await Promise.all(
        started.map((id) =>
          client.workflow
            .getHandle(id)
            .terminate('document inbox test cleanup')
            .catch(() => undefined),
        ),
      );
      await worker.stop();
      await db.destroy();
      await database.close();
    },
  };
}
