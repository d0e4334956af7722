/**
 * Receive path, with the send path in the same run for comparison, on one stack (dev server on a SQLite file, the
 * worker's adapters in this process, MESH router in front of mesh-sandbox, PDS double, archive on PostgreSQL), N of
 * each (500; 50 with --quick):
 * 1. send: consultations from the hosting practice to `acknowledged`, answered by the receiving-practice simulator (its
 *    own process) at the registered practices: what the throughput bench measures, the baseline;
 * 2. receive: Send Document messages (the GP Connect Messaging 1.5.0 specification example for a patient of Hillside
 *    Surgery, each with its own MessageHeader id) wait in Hillside's mailbox; fedreport's receiver takes them —
 *    download, validation, the document held in the archive, 20013, PDS lookup, filed on receipt, 30001 — timed from
 *    the poller's start until every received-message workflow has completed;
 * 3. fedreport to fedreport: consultations to `acknowledged`, received and answered at the registered practices by the
 *    same worker, so each report is sent and received within the measured time.
 * `npm run bench -- receive [--quick]`.
 */
import os from 'node:os';
import { submitConsultationSaved } from '../client/encounters';
import { createMeshClient, type MeshClient } from '../integrations/mesh/client';
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
  /** ITK3 answers waiting in the sender's mailbox: two per message (20013, 30001), no more, no less. */
  answers: number;
  /** Consultations to acknowledged per second, answered by the simulator: the send path of the same run. */
  sentPerSecond: number;
  /** The same, received and answered by fedreport itself. */
  fedreportToFedreportPerSecond: number;
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
    const simulator = await stack.startSimulator();
    const sentPerSecond = await reportsToAcknowledged(stack, messages, budgetMs);
    await simulator.stop();

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
    const answers = await answersWaiting(stack);

    const fedreportToFedreportPerSecond = await reportsToAcknowledged(stack, messages, budgetMs);
    const result = {
      messages,
      receivedPerSecond,
      filed,
      answers,
      sentPerSecond,
      fedreportToFedreportPerSecond,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    };
    console.log(
      `receive: ${messages} of each, one after another on one stack\n` +
        `  send path (simulator answers)   ${sentPerSecond.toFixed(1).padStart(6)} reports/s to acknowledged\n` +
        `  received, filed and answered    ${receivedPerSecond.toFixed(1).padStart(6)} messages/s (documents filed: ${filed}, answers sent: ${answers})\n` +
        `  fedreport to fedreport          ${fedreportToFedreportPerSecond.toFixed(1).padStart(6)} reports/s to acknowledged\n` +
        `  load average ${loadBefore.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after`,
    );
    return result;
  } finally {
    await stack.close();
  }
}

/** Submits `count` fresh consultations and waits until they are acknowledged too; their rate per second. */
async function reportsToAcknowledged(stack: BenchStack, count: number, budgetMs: number): Promise<number> {
  const before = await acknowledged(stack);
  const consultations = Array.from({ length: count }, (_, index) => benchConsultation(index));
  const started = performance.now();
  await submitAll(consultations, (snapshot) => submitConsultationSaved(stack.client, snapshot), budgetMs);
  await waitUntil(
    `${count} consultations acknowledged`,
    async () => (await acknowledged(stack)) - before >= count,
    {
      timeoutMs: budgetMs,
      intervalMs: 500,
    },
  );
  return count / ((performance.now() - started) / 1000);
}

function outsideSender(stack: BenchStack): MeshClient {
  return createMeshClient(
    parseMeshConfig({
      url: stack.router.url,
      mailbox: OUTSIDE_SENDER,
      password: MESH_SANDBOX_MAILBOX_PASSWORD,
      sharedKey: stack.mesh.sharedKey,
    }),
  );
}

/** Puts the messages in the receiving mailbox before its poller starts, as a backlog the receiver drains. */
async function upload(stack: BenchStack, count: number, budgetMs: number): Promise<void> {
  const sender = outsideSender(stack);
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

/** The answers are sent before a received-message workflow completes: all of them are in the sender's inbox now. */
async function answersWaiting(stack: BenchStack): Promise<number> {
  const sender = outsideSender(stack);
  try {
    let count = 0;
    for await (const page of sender.inboxPages()) count += page.length;
    return count;
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
  const violations = [
    result.filed !== result.messages ? `${result.filed} of ${result.messages} documents filed` : '',
    result.answers !== 2 * result.messages ? `${result.answers} answers for ${result.messages} messages` : '',
  ].filter(Boolean);
  return {
    figures: `${result.messages} Send Document messages in one mailbox: ${result.receivedPerSecond.toFixed(1)} messages/s received, filed and answered (20013, 30001); load ${result.loadAverage.before.toFixed(1)}→${result.loadAverage.after.toFixed(1)}`,
    ratio: `${(result.receivedPerSecond / result.sentPerSecond).toFixed(2)}× the send path in the same run (${result.sentPerSecond.toFixed(1)} reports/s to acknowledged, simulator answering); fedreport to fedreport ${result.fedreportToFedreportPerSecond.toFixed(1)} reports/s`,
    ...(violations.length > 0 && { failure: violations.join(', ') }),
  };
}
