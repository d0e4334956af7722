/**
 * The inbox hands a Send Document message over to the receiver (issue 18): put into Hillside Surgery's mailbox in
 * mesh-sandbox, it is picked up by the worker process's inbox, kept in the archive database (PostgreSQL), its
 * received-message workflow runs and answers 20013 to the sender, the MESH message is acknowledged, the kept body
 * is dropped once the document is held and no spool file is left; filed, it is answered 30001. Neither the workflow's
 * history (decoded) nor the worker's log holds the patient's NHS number, name or birth date.
 */
import { fileDocumentUpdate } from '../../../workflows/received-document-filing';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { ArchiveDb } from '../../../integrations/store/database';
import {
  receivedMessageStageQuery,
} from '../../../workflows/received-message-workflow';
import { openTestArchive } from '../../support/archive';
import { sharedTestArchiveUrl } from '../../support/databases';
import { EXAMPLE_NHS_NUMBER } from '../../unit/itk3/received-fixtures';
import type { InboxStack } from '../inbox/support/inbox-stack';
import {
  PRACTICE_MAILBOX,
  answersToSender,
  codesOf,
  decodedHistoryText,
  deliver,
  receivedWorkflow,
  sendDocumentMessage,
  startReceiverStack,
} from './support/receiver-stack';

let stack: InboxStack;
let db: ArchiveDb;

beforeAll(async () => {
  stack = await startReceiverStack('handover');
  db = await openTestArchive(sharedTestArchiveUrl());
}, 180_000);
afterAll(async () => {
  await db?.destroy();
  await stack?.close();
}, 60_000);

async function rowsFor(meshMessageId: string) {
  const { rows } = await sql<{ body_kept: boolean; state: string | null }>`
    select d.sealed_body is not null as body_kept, m.state
    from received_deliveries d left join received_messages m using (mesh_message_id)
    where d.mesh_message_id = ${meshMessageId}`.execute(db);
  return rows;
}

it('a message in the practice mailbox is handed over, answered 20013, acknowledged in MESH; filed, answered 30001', async () => {
  const { body, messageHeaderId } = sendDocumentMessage();
  const meshMessageId = await deliver(stack, body);

  const answers = await answersToSender(stack, 1);
  expect(codesOf(answers)).toEqual([['20013', messageHeaderId]]);
  expect(answers[0]?.message.workflowId).toBe('GPFED_CONSULT_REPORT_ACK');
  const handle = receivedWorkflow(stack.client, messageHeaderId);
  expect(await handle.query(receivedMessageStageQuery)).toBe('awaiting-filing');
  expect(await stack.inbox(PRACTICE_MAILBOX)).not.toContain(meshMessageId);
  expect(await rowsFor(meshMessageId)).toEqual([{ body_kept: false, state: 'held' }]);
  const spool = path.join(stack.quarantineDir, '.spool');
  expect(fs.existsSync(spool) ? fs.readdirSync(spool) : []).toEqual([]);

  await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  expect(await handle.result()).toEqual({
    infrastructureCode: '20013',
    businessCode: '30001',
    duplicates: 0,
  });
  expect(codesOf(await answersToSender(stack, 2, answers))).toEqual([
    ['20013', messageHeaderId],
    ['30001', messageHeaderId],
  ]);
  expect(await rowsFor(meshMessageId)).toEqual([{ body_kept: false, state: 'filed' }]);

  const history = await decodedHistoryText(stack.client, handle.workflowId);
  expect(history).toContain(messageHeaderId); // the scan reads the decoded payloads
  const log = fs.readFileSync(path.join(stack.dir, 'worker.log'), 'utf8');
  for (const phi of [EXAMPLE_NHS_NUMBER, 'Pritchard', '1957-01-09']) {
    expect(history).not.toContain(phi);
    expect(log).not.toContain(phi);
  }
}, 120_000);
