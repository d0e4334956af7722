/**
 * The specification examples (test/conformance/fixtures/send-document, re-addressed to the PDS double's patient
 * 9990000018 at Hillside Surgery, Y90002) as an outside sender puts them on MESH with NHS England's `mesh-client`: each
 * send gets a fresh MessageHeader id (a repeated id would be a duplicate delivery) and its reply mailbox
 * (`source.endpoint`) is the sender's own mailbox, as a real sender fills it in. The broken variants break one thing
 * each and earn one ITK3 code.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFhir } from '../../../../integrations/itk3/message-format';
import { parseItk3Response, type Itk3Response } from '../../../../integrations/itk3/response-parser';
import { addTestMailbox, resetMesh } from '../../../support/mesh';
import { runPythonMeshPeer, sandboxMeshClient } from '../../../support/python/mesh-peer';
import { SPEC_EXAMPLES, exampleBytes, payloadEntries } from '../../../unit/itk3/received-fixtures';
import { FederationStack } from './federation-stack';

/** The published examples' own sender mailbox (their `source.endpoint`), added to the run's sandbox by the tests. */
export const OUTSIDE_SENDER = 'MESHGP0001';
/** Hillside Surgery's mailbox (Y90002): where the messages of these tests are sent. */
export const HILLSIDE_MAILBOX = 'X26ABC2';

/** One test file's federation stack, started with the outside sender's and Hillside's mailboxes empty. */
export function federationForOutsideSender(tmpPrefix: string): { stack: FederationStack } {
  const file = {} as { stack: FederationStack };
  beforeAll(async () => {
    await addTestMailbox(OUTSIDE_SENDER);
    await resetMesh(OUTSIDE_SENDER);
    await resetMesh(HILLSIDE_MAILBOX);
    file.stack = await FederationStack.start(fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix)));
  }, 180_000);
  afterAll(() => file.stack?.close());
  return file;
}
export const SEND_DOCUMENT_WORKFLOW = 'GPFED_CONSULT_REPORT';

/** The PDS double's patients (simulators/pds/patients.ts). */
export const PATIENTS = {
  /** Registered at Y90002, the receiving practice: what the examples are re-addressed to. */
  registeredHere: '9990000018',
  /** Registered at Y90003, another practice of the federation. */
  registeredElsewhere: '9990000026',
  /** A valid NHS number PDS has no record of. */
  unknown: '9111231130',
} as const;

export interface OutgoingMessage {
  name: string;
  body: Buffer;
  /** The MessageHeader id the answers must quote (UNREADABLE-IN-ORIGINAL-MESSAGE when the body cannot be read). */
  messageHeaderId: string;
}

/**
 * An example as XML with a fresh MessageHeader id, `replyMailbox` (the sender's own) for answers and, optionally,
 * another patient.
 */
export function readdressed(
  file: string,
  {
    patient = PATIENTS.registeredHere,
    replyMailbox = OUTSIDE_SENDER,
  }: { patient?: string; replyMailbox?: string } = {},
): OutgoingMessage {
  const original = readFhir(exampleBytes(file)) as { entry: { resource: { id: string } }[] };
  const publishedId = original.entry[0]!.resource.id;
  const messageHeaderId = crypto.randomUUID();
  const xml = exampleBytes(file)
    .toString('utf8')
    .replaceAll(publishedId, messageHeaderId)
    .replace(/(<source>\s*<endpoint value=")[^"]*"/, `$1${replyMailbox}"`)
    .replaceAll(PATIENTS.registeredHere, patient);
  return { name: file, body: Buffer.from(xml, 'utf8'), messageHeaderId };
}

/** The 1.5.0 example as FHIR JSON, re-addressed as `readdressed` does, after `edit`. */
function brokenJson(edit: (message: any) => void): Omit<OutgoingMessage, 'name'> {
  const { body, messageHeaderId } = readdressed(SPEC_EXAMPLES.v15);
  const message = readFhir(body) as any;
  edit(message);
  return { body: Buffer.from(JSON.stringify(message)), messageHeaderId };
}

const binaryOf = (message: any): any =>
  payloadEntries(message).find((e) => e.resource.resourceType === 'Binary').resource;

/** Over the receiver's 5 MiB limit (ITK3's recommendation) with a second, approved attachment: plain text. */
const OVERSIZE_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** Broken before the patient is looked at: answered with the negative infrastructure code alone. */
export function infrastructureFaults(): (OutgoingMessage & { code: string })[] {
  const unreadable = readdressed(SPEC_EXAMPLES.v15);
  return [
    {
      name: 'wrong event code (ITK008M)',
      code: '20006',
      ...brokenJson((m) => (m.entry[0].resource.event.code = 'ITK008M')),
    },
    {
      name: 'no PDF (the only attachment is a PNG)',
      code: '20009',
      ...brokenJson((m) => (binaryOf(m).contentType = 'image/png')),
    },
    {
      name: 'an attachment of an unapproved type (an executable)',
      code: '20004',
      ...brokenJson((m) => addAttachment(m, 'application/x-msdownload', Buffer.from('MZ\x90\x00'))),
    },
    {
      name: 'larger than the receiver accepts',
      code: '20015',
      ...brokenJson((m) => addAttachment(m, 'text/plain', crypto.randomBytes(OVERSIZE_ATTACHMENT_BYTES))),
    },
    {
      name: 'unreadable XML (cut short)',
      code: '10009',
      body: unreadable.body.subarray(0, 2_000),
      messageHeaderId: 'UNREADABLE-IN-ORIGINAL-MESSAGE',
    },
  ];
}

/** Valid messages about a patient this practice does not have: answered 20013, then the negative business code. */
export function patientFaults(): (OutgoingMessage & { code: string })[] {
  return [
    {
      ...readdressed(SPEC_EXAMPLES.v15, { patient: PATIENTS.unknown }),
      name: 'a patient PDS does not know',
      code: '30002',
    },
    {
      ...readdressed(SPEC_EXAMPLES.v15, { patient: PATIENTS.registeredElsewhere }),
      name: 'a patient registered at another practice',
      code: '30002',
    },
  ];
}

function addAttachment(message: any, contentType: string, content: Buffer): void {
  const fullUrl = `urn:uuid:${crypto.randomUUID()}`;
  payloadEntries(message).push({
    fullUrl,
    resource: { resourceType: 'Binary', contentType, content: content.toString('base64') },
  });
  payloadEntries(message)[0].resource.section.push({ entry: [{ reference: fullUrl }] });
}

/** Sent from the outside sender's mailbox with NHS England's mesh-client, as a GP system of another supplier would. */
export async function sendWithMeshClient(message: OutgoingMessage, to: string): Promise<string> {
  const json = message.body.subarray(0, 1).toString() === '{';
  const { message_id: messageId } = await runPythonMeshPeer({
    op: 'send',
    client: sandboxMeshClient(OUTSIDE_SENDER),
    recipient: to,
    body_b64: message.body.toString('base64'),
    workflow_id: SEND_DOCUMENT_WORKFLOW,
    subject: 'Consultation report',
    local_id: crypto.randomUUID(),
    filename: json ? 'report.json' : 'report.xml',
    content_type: json ? 'application/fhir+json' : 'application/fhir+xml',
    compress: false,
  });
  return messageId;
}

export interface ReceivedAnswer extends Itk3Response {
  meshWorkflowId: string;
}

/** The ITK3 answers waiting in the outside sender's mailbox, read (and acknowledged) with mesh-client. */
export async function answersInSenderMailbox(): Promise<ReceivedAnswer[]> {
  const { messages } = await runPythonMeshPeer({
    op: 'inbox',
    client: sandboxMeshClient(OUTSIDE_SENDER),
    acknowledge: true,
  });
  return messages.map((m) => ({
    ...parseItk3Response(Buffer.from(m.body_b64, 'base64')),
    meshWorkflowId: m.headers.workflowid ?? '',
  }));
}
