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
import {
  receivedMessageStageQuery,
} from '../../../workflows/received-message-workflow';
import { EXAMPLE_NHS_NUMBER } from '../../unit/itk3/received-fixtures';
import {
  PRACTICE_MAILBOX,
  answersToSender,
  codesOf,
  decodedHistoryText,
  deliver,
  receivedWorkflow,
  sendDocumentMessage,
  receiverTestFile,
} from './support/receiver-stack';

const receiver = receiverTestFile('handover');

async function rowsFor(meshMessageId: string) {
  const { rows } = await sql<{ body_kept: boolean; state: string | null }>`
    select d.sealed_body is not null as body_kept, m.state
    from received_deliveries d left join received_messages m using (mesh_message_id)
    where d.mesh_message_id = ${meshMessageId}`.execute(receiver.db);
  return rows;
}

it('a message in the practice mailbox is handed over, answered 20013, acknowledged in MESH; filed, answered 30001', async () => {
  const { body, messageHeaderId } = sendDocumentMessage();
  const meshMessageId = await deliver(receiver.stack, body);

  const answers = await answersToSender(receiver.stack, 1);
  expect(codesOf(answers)).toEqual([['20013', messageHeaderId]]);
  expect(answers[0]?.message.workflowId).toBe('GPFED_CONSULT_REPORT_ACK');
  const handle = receivedWorkflow(receiver.stack.client, messageHeaderId);
  expect(await handle.query(receivedMessageStageQuery)).toBe('awaiting-filing');
  expect(await receiver.stack.inbox(PRACTICE_MAILBOX)).not.toContain(meshMessageId);
  expect(await rowsFor(meshMessageId)).toEqual([{ body_kept: false, state: 'held' }]);
  const spool = path.join(receiver.stack.quarantineDir, '.spool');
  expect(fs.existsSync(spool) ? fs.readdirSync(spool) : []).toEqual([]);

  await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  expect(await handle.result()).toEqual({
    infrastructureCode: '20013',
    businessCode: '30001',
    duplicates: 0,
  });
  expect(codesOf(await answersToSender(receiver.stack, 2, answers))).toEqual([
    ['20013', messageHeaderId],
    ['30001', messageHeaderId],
  ]);
  expect(await rowsFor(meshMessageId)).toEqual([{ body_kept: false, state: 'filed' }]);

  const history = await decodedHistoryText(receiver.stack.client, handle.workflowId);
  expect(history).toContain(messageHeaderId); // the scan reads the decoded payloads
  const log = fs.readFileSync(path.join(receiver.stack.dir, 'worker.log'), 'utf8');
  for (const phi of [EXAMPLE_NHS_NUMBER, 'Pritchard', '1957-01-09']) {
    expect(history).not.toContain(phi);
    expect(log).not.toContain(phi);
  }
}, 120_000);
