/**
 * Receive path, with the send path in the same run for comparison, on one stack (dev server on a SQLite file, the
 * worker's adapters in this process, MESH router in front of mesh-sandbox, PDS double, archive on PostgreSQL):
 * - receive: N Send Document messages (the GP Connect Messaging 1.5.0 specification example for a patient of Hillside
 *   Surgery, each with its own MessageHeader id; 500, 50 with --quick) wait in Hillside's mailbox; fedreport's receiver
 *   takes them — download, validation, the document held in the archive, 20013, filed on receipt, PDS lookup, 30001 —
 *   timed from the poller's start until every received-message workflow has completed and every document is filed;
 * - send: N consultations from the hosting practice to `acknowledged`, received and answered at the registered
 *   practices by the same worker (fedreport to fedreport), so each report is sent and received in the measured time.
 * `npm run bench -- receive [--quick]`.
 */
import os from 'node:os';
import { submitConsultationSaved } from '../client/encounters';
import { createMeshClient } from '../integrations/mesh/client';
import { parseMeshConfig } from '../integrations/mesh/config';
import { fieldEncryptionFromEnv } from '../integrations/store/field-encryption';
import { openArchive } from '../integrations/store/open-archive';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../tooling/mesh-sandbox';
import { ENCOUNTER_WORKFLOW_TYPE } from '../workflows/encounter-messages';
import { RECEIVED_MESSAGE_WORKFLOW_TYPE } from '../workflows/received-message-workflow';
import { readdressed, SEND_DOCUMENT_WORKFLOW } from '../test/integration/receiving/support/spec-messages';
import { SPEC_EXAMPLES } from '../test/unit/itk3/received-fixtures';
import type { BenchRow } from './results';
import {
  benchConsultation,
  benchRecipientMailboxes,
  forEachBounded,
  submitAll,
  waitUntil,
} from './support/consultations';
import { startBenchStack, type BenchStack } from './support/stack';

/** Hillside Surgery's mailbox: the re-addressed example's patient is registered there. */
const RECEIVING_MAILBOX = 'X26ABC2';
/** Sends the messages and takes their answers: a mailbox of the other federation, whose inbox nobody polls here. */
const OUTSIDE_SENDER = 'X26NBK1';
const UPLOAD_CONCURRENCY = 8;

export interface ReceiveResult {
  messages: number;
  receivedPerSecond: number;
  filed: number;
  /** Consultations to acknowledged per second, each received by fedreport: the send path of the same run. */
  sentPerSecond: number;
  loadAverage: { before: number; after: number };
}

export async function runReceiveBench(opts: { quick: boolean }): Promise<ReceiveResult> {
  const messages = opts.quick ? 50 : 500;
  const budgetMs = (opts.quick ? 5 : 30) * 60_000;
  const loadBefore = os.loadavg()[0]!;
  const stack = await startBenchStack({
    name: 'receive',
    quietPeriod: '1s',
    recipientMailboxes: benchRecipientMailboxes(),
    receiving: true,
  });
  try {
    await stack.startWorker();
    await upload(stack, messages, budgetMs);
    const started = performance.now();
    await stack.startReceiving();
    await waitUntil(
      `${messages} received messages completed`,
      async () => (await completedReceived(stack)) >= messages,
      {
        timeoutMs: budgetMs,
        intervalMs: 500,
      },
    );
    const receivedPerSecond = messages / ((performance.now() - started) / 1000);
    const filed = await filedDocuments(stack);

    const consultations = Array.from({ length: messages }, (_, index) => benchConsultation(index));
    const sendStarted = performance.now();
    await submitAll(consultations, (snapshot) => submitConsultationSaved(stack.client, snapshot), budgetMs);
    await waitUntil(
      `${messages} consultations acknowledged`,
      async () => (await acknowledged(stack)) >= messages,
      {
        timeoutMs: budgetMs,
        intervalMs: 500,
      },
    );
    const sentPerSecond = messages / ((performance.now() - sendStarted) / 1000);
    const result = {
      messages,
      receivedPerSecond,
      filed,
      sentPerSecond,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    };
    console.log(
      `receive: ${messages} Send Document messages waiting in one practice mailbox\n` +
        `  received, filed and answered  ${receivedPerSecond.toFixed(1).padStart(6)} messages/s (documents filed: ${filed})\n` +
        `  send path, same run           ${sentPerSecond.toFixed(1).padStart(6)} reports/s to acknowledged (received by fedreport)\n` +
        `  load average ${loadBefore.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after`,
    );
    return result;
  } finally {
    await stack.close();
  }
}

/** Puts the messages in the receiving mailbox before its poller starts, as a backlog the receiver drains. */
async function upload(stack: BenchStack, count: number, budgetMs: number): Promise<void> {
  const sender = createMeshClient(
    parseMeshConfig({
      url: stack.router.url,
      mailbox: OUTSIDE_SENDER,
      password: MESH_SANDBOX_MAILBOX_PASSWORD,
      sharedKey: stack.mesh.sharedKey,
    }),
  );
  try {
    await forEachBounded(count, UPLOAD_CONCURRENCY, budgetMs, async () => {
      const message = readdressed(SPEC_EXAMPLES.v15, { replyMailbox: OUTSIDE_SENDER });
      await sender.send({
        to: RECEIVING_MAILBOX,
        workflowId: SEND_DOCUMENT_WORKFLOW,
        body: message.body,
        contentType: 'application/fhir+xml',
      });
    });
  } finally {
    await sender.close();
  }
}

async function completedReceived(stack: BenchStack): Promise<number> {
  const query = `WorkflowType = '${RECEIVED_MESSAGE_WORKFLOW_TYPE}' AND ExecutionStatus = 'Completed'`;
  return (await stack.client.workflow.count(query)).count;
}

async function acknowledged(stack: BenchStack): Promise<number> {
  return (
    await stack.client.workflow.count(
      `WorkflowType = '${ENCOUNTER_WORKFLOW_TYPE}' AND ReportStatus = 'acknowledged'`,
    )
  ).count;
}

/** Documents in the filed state, counted in the archive database itself. */
async function filedDocuments(stack: BenchStack): Promise<number> {
  const archive = await openArchive({
    database: { url: stack.database.url, poolSize: 1 },
    encryption: fieldEncryptionFromEnv(stack.keyring, {}),
  });
  try {
    const rows = await archive.db
      .selectFrom('received_messages')
      .select('mesh_message_id')
      .where('state', '=', 'filed')
      .execute();
    return rows.length;
  } finally {
    await archive.close();
  }
}

export function receiveRow(result: ReceiveResult): BenchRow {
  const violations =
    result.filed !== result.messages ? [`${result.filed} of ${result.messages} documents filed`] : [];
  return {
    figures: `${result.messages} Send Document messages in one mailbox: ${result.receivedPerSecond.toFixed(1)} messages/s received, filed and answered (20013, 30001); load ${result.loadAverage.before.toFixed(1)}→${result.loadAverage.after.toFixed(1)}`,
    ratio: `send path in the same run: ${result.sentPerSecond.toFixed(1)} reports/s to acknowledged, fedreport to fedreport`,
    ...(violations.length > 0 && { failure: violations.join(', ') }),
  };
}
