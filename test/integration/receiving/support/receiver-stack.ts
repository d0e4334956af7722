/**
 * The receiver as in production, for the handover tests: the worker process (worker/main.ts) taking documents
 * (FEDREPORT_INBOX_RECEIVE_DOCUMENTS on) from the practices' mailboxes in mesh-sandbox, the archive on the run's
 * PostgreSQL, the PDS double; the inbox test stack (../../inbox/support/inbox-stack.ts) runs it. A sender outside the
 * federation (a mailbox no worker polls) puts Send Document messages into Hillside Surgery's mailbox (Y90002) and
 * reads back the answers it is sent.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../../../common/payload-codec';
import { receivedMessageWorkflowId } from '../../../../domain/received-message-identity';
import { PROJECT_ROOT } from '../../../../tooling/paths';
import type { ArchiveDb } from '../../../../integrations/store/database';
import { openTestArchive } from '../../../support/archive';
import { TEST_KEYRING } from '../../../support/codec';
import { sharedTestArchiveUrl } from '../../../support/databases';
import { addTestMailbox, resetMesh } from '../../../support/mesh';
import { InboxStack, OTHER_PRACTICE, REGISTERED, SENDER, until } from '../../inbox/support/inbox-stack';
import { takeAcks, type ReceivedAck } from '../../receiving-practice/support';
import { SPEC_EXAMPLES, editedExample } from '../../../unit/itk3/received-fixtures';

/** Hillside Surgery's mailbox (Y90002, the PDS double's practice for the example's patient). */
export const PRACTICE_MAILBOX = REGISTERED;
/** A sending organisation's mailbox outside the federation: the worker never polls it. */
export const REMOTE_SENDER = 'X26RCV1';

export async function startReceiverStack(name: string): Promise<InboxStack> {
  await addTestMailbox(REMOTE_SENDER);
  for (const mailbox of [REMOTE_SENDER, SENDER, REGISTERED, OTHER_PRACTICE]) await resetMesh(mailbox);
  const dir = path.join(PROJECT_ROOT, 'test-results', 'receiving', name, String(process.pid));
  // The simulator answers for another practice's mailbox only: Hillside's is the worker's.
  const stack = await InboxStack.start(dir, [OTHER_PRACTICE], {});
  await stack.startWorker(receiverSettings());
  return stack;
}

/** One test file's receiver stack and archive connection: started before its tests, closed after them. */
export interface ReceiverTestFile {
  stack: InboxStack;
  db: ArchiveDb;
}

export function receiverTestFile(name: string): ReceiverTestFile {
  const file = {} as ReceiverTestFile;
  beforeAll(async () => {
    file.stack = await startReceiverStack(name);
    file.db = await openTestArchive(sharedTestArchiveUrl());
  }, 180_000);
  afterAll(async () => {
    await file.db?.destroy();
    await file.stack?.close();
  }, 60_000);
  return file;
}

export function receiverSettings(): Record<string, string> {
  return { FEDREPORT_INBOX_RECEIVE_DOCUMENTS: 'true', FEDREPORT_INBOX_POLL_INTERVAL: '1s' };
}

/** The GP Connect 1.5.0 example from the remote sender, under a MessageHeader id of its own. */
export function sendDocumentMessage(): { body: Buffer; messageHeaderId: string } {
  const messageHeaderId = crypto.randomUUID();
  const body = editedExample(SPEC_EXAMPLES.v15, (m) => {
    m.entry[0].resource.id = messageHeaderId;
    m.entry[0].resource.source.endpoint = REMOTE_SENDER;
  });
  return { body, messageHeaderId };
}

/** One MESH message into the practice's mailbox; answers its MESH message id. */
export async function deliver(stack: InboxStack, body: Buffer): Promise<string> {
  const sent = await stack.meshOf(REMOTE_SENDER).send({
    to: PRACTICE_MAILBOX,
    workflowId: 'GPFED_CONSULT_REPORT',
    body,
    contentType: 'application/fhir+json',
  });
  return sent.messageId;
}

/** The received message's workflow: mailbox + MessageHeader id. */
export function receivedWorkflow(client: Client, messageHeaderId: string) {
  return client.workflow.getHandle(receivedMessageWorkflowId(PRACTICE_MAILBOX, { messageHeaderId }));
}

/** Takes the sender's answers until `count` have arrived (each acknowledged in MESH as it is read). */
export async function answersToSender(
  stack: InboxStack,
  count: number,
  taken: ReceivedAck[] = [],
): Promise<ReceivedAck[]> {
  return until(
    `${count} answer(s) in the sender's mailbox`,
    async () => {
      taken.push(...(await takeAcks(stack.meshOf(REMOTE_SENDER))));
      return taken.length >= count ? taken : undefined;
    },
    90_000,
  );
}

/** [code, the original MessageHeader id it answers] of each answer. */
export const codesOf = (answers: ReceivedAck[]): [string, string | undefined][] =>
  answers.map((a) => [a.response.code, a.response.originalMessageHeaderId]);

/** Every payload of a workflow's history (all its runs' latest), decoded to text: what a PHI check reads. */
export async function decodedHistoryText(client: Client, workflowId: string): Promise<string> {
  const codec = new AesGcmPayloadCodec(TEST_KEYRING);
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const texts: string[] = [];
  const visit = async (node: unknown): Promise<void> => {
    if (Array.isArray(node)) {
      for (const item of node) await visit(item);
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key !== 'payloads' || !Array.isArray(value)) await visit(value);
        else
          for (const p of await codec.decode(value as Payload[]))
            texts.push(Buffer.from(p.data ?? []).toString());
      }
    }
  };
  await visit(history.events);
  return texts.join('\n');
}
