/**
 * Harness of the receiving-practice simulator tests: real Send Document messages (example snapshots, the real PDF
 * renderer) sent from X26ABC1 to the patients' GPPROVIDER addresses through the MESH router, which delivers them to
 * the registered practices' mailboxes of the run's mesh-sandbox; a simulator per test with a short poll interval,
 * and readers for what comes back to X26ABC1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { messageIdentity } from '../../../domain/report-identity';
import { meshMetadataFor, type ConsultReportWorkflowId } from '../../../integrations/itk3/mesh-metadata';
import { serialiseFhir, type MessageFormat } from '../../../integrations/itk3/message-format';
import { parseItk3Response, type Itk3Response } from '../../../integrations/itk3/response-parser';
import { buildSendDocumentMessage } from '../../../integrations/itk3/send-document-message';
import type { Bundle } from '../../../integrations/itk3/fhir-stu3-types';
import { createMeshClient, type MeshClient } from '../../../integrations/mesh/client';
import type { MeshIncomingMessage } from '../../../integrations/mesh/messages';
import { renderConsultationReport } from '../../../integrations/report/render-report';
import { parseConsultationSnapshot, type ResolvedSnapshot } from '../../../domain/snapshot';
import type { SimulatorLogger } from '../../../simulators/receiving-practice/logging';
import {
  startReceivingPractice,
  type ReceivingPractice,
  type ReceivingPracticeOptions,
} from '../../../simulators/receiving-practice/simulator';
import type { MailboxCounters } from '../../../simulators/receiving-practice/stats';
import { meshTestConfig } from '../../support/mesh';
import { closeRouters, startTestRouter } from '../mesh-router/support';

/** The sending practice's mailbox (MessageHeader.source.endpoint of every report sent here). */
export const SENDER_MAILBOX = 'X26ABC1';
export const POLL_INTERVAL_MS = 100;

const EXAMPLES = path.resolve(__dirname, '../../../examples');

export function exampleSnapshot(file: string): ResolvedSnapshot {
  return parseConsultationSnapshot(JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')));
}

/** Eleanor Whitfield (9990000018), registered at Hillside Surgery (Y90002), whose mailbox is X26ABC2. */
export const PATIENT_A = exampleSnapshot('consultation-temporary-resident.json');
export const MAILBOX_A = 'X26ABC2';
/** The patient of the two-page example (9990000131), registered at Orchard Health Centre (Y90003): X26ABC3. */
export const PATIENT_B = exampleSnapshot('consultation-two-page.json');
export const MAILBOX_B = 'X26ABC3';

let routerUrl: string | undefined;
/** From here on, every MESH client of the test file talks to MESH through a router, as in the local stack. */
export async function routeThroughMeshRouter(): Promise<void> {
  routerUrl = (await startTestRouter()).url;
}
const meshConfig = (mailbox: string) => meshTestConfig(mailbox, routerUrl ? { url: routerUrl } : {});

const clients: MeshClient[] = [];
export function meshClient(mailbox: string): MeshClient {
  const client = createMeshClient(meshConfig(mailbox));
  clients.push(client);
  return client;
}
export const closeMeshClients = (): Promise<unknown> =>
  Promise.all([...clients.splice(0).map((c) => c.close()), closeRouters()]);

const pdfs = new Map<string, Promise<Buffer>>();
function reportPdf(snapshot: ResolvedSnapshot, version: number): Promise<Buffer> {
  const key = `${snapshot.encounterId}/${version}`;
  const pdf =
    pdfs.get(key) ??
    renderConsultationReport({ snapshot, version, receivingPractice: { odsCode: 'Y90002' } });
  pdfs.set(key, pdf);
  return pdf;
}

export interface ReportOptions {
  version?: number;
  /** Distinct per test, so that MessageHeader ids never repeat across tests. */
  firstBuiltAt: string;
  format?: MessageFormat;
  workflowId?: ConsultReportWorkflowId;
  /** Changes the message before it is serialised (for header-rule tests). */
  edit?: (message: Bundle) => void;
}

export interface SentReport {
  messageHeaderId: string;
  messageId: string;
}

/** Builds a real report message and sends it from X26ABC1 to the patient's GPPROVIDER address (the router resolves it). */
export async function sendReport(
  sender: MeshClient,
  snapshot: ResolvedSnapshot,
  options: ReportOptions,
): Promise<SentReport> {
  const version = options.version ?? 1;
  const format = options.format ?? 'xml';
  const message = buildSendDocumentMessage({
    snapshot,
    reportPdf: await reportPdf(snapshot, version),
    senderMailboxId: SENDER_MAILBOX,
    version,
    previousDocumentIdentifier:
      version > 1
        ? messageIdentity(snapshot.encounterId, version - 1, options.firstBuiltAt).documentIdentifier
        : undefined,
    firstBuiltAt: options.firstBuiltAt,
  });
  options.edit?.(message);
  const { messageHeaderId } = messageIdentity(snapshot.encounterId, version, options.firstBuiltAt);
  const metadata = meshMetadataFor(
    { snapshot, version, messageHeaderId },
    { format, workflowId: options.workflowId },
  );
  const sent = await sender.send({ ...metadata, body: serialiseFhir(message, format) });
  return { messageHeaderId, messageId: sent.messageId };
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the simulator has taken `count` messages off `mailbox`'s inbox: by then their answers are in MESH. */
export function waitUntilAcknowledged(
  practice: ReceivingPractice,
  mailbox: string,
  count: number,
): Promise<MailboxCounters> {
  return waitFor(`${count} message(s) acknowledged`, () => {
    const counters = practice.stats().mailboxes[mailbox];
    return counters && counters.acknowledged >= count ? counters : undefined;
  });
}

export interface ReceivedAck {
  message: MeshIncomingMessage;
  response: Itk3Response;
}

/** Everything in the mailbox's inbox, downloaded, parsed as ITK3 responses and acknowledged. */
export async function takeAcks(client: MeshClient): Promise<ReceivedAck[]> {
  const acks: ReceivedAck[] = [];
  for await (const page of client.inboxPages()) {
    for (const id of page) {
      const message = await client.download(id);
      acks.push({ message, response: parseItk3Response(message.body) });
      await client.acknowledge(id);
    }
  }
  return acks;
}

/** The codes of the acknowledgements answering one message, in the order they were sent. */
export function codesAnswering(acks: ReceivedAck[], messageHeaderId: string): string[] {
  return acks
    .filter((ack) => ack.response.originalMessageHeaderId === messageHeaderId)
    .sort(
      (a, b) =>
        (a.response.respondedAt ?? '').localeCompare(b.response.respondedAt ?? '') ||
        a.response.code.localeCompare(b.response.code),
    )
    .map((ack) => ack.response.code);
}

/** Log lines the simulator wrote, as JSON text, so tests can prove no patient data reached them. */
export function capturingLogger(lines: string[]): SimulatorLogger {
  const write = (level: string) => (fields: Record<string, unknown>, message: string) =>
    lines.push(JSON.stringify({ level, ...fields, message }));
  return { debug: write('debug'), info: write('info'), warn: write('warn') };
}

const running: ReceivingPractice[] = [];

/** A simulator on the test sandbox with the test poll interval; closed by closeSimulators(). */
export async function startTestSimulator(
  options: Partial<ReceivingPracticeOptions> & Pick<ReceivingPracticeOptions, 'mailboxes'>,
): Promise<ReceivingPractice> {
  const practice = await startReceivingPractice({
    mesh: meshConfig,
    pollIntervalMs: POLL_INTERVAL_MS,
    ...options,
  });
  running.push(practice);
  return practice;
}

export const closeSimulators = (): Promise<unknown> => Promise.all(running.splice(0).map((p) => p.close()));
