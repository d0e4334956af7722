/**
 * What the simulated practice does with messages it cannot accept: the negative infrastructure code each fault earns,
 * duplicates, acknowledgements that cannot be delivered, and MESH traffic that must never be answered. None of it
 * may block the inbox.
 */
import { UNREADABLE_ORIGINAL_IDENTIFIER } from '../../../integrations/itk3/fhir-uris';
import { injectReport, resetMesh } from '../../support/mesh';
import {
  MAILBOX_A as MAILBOX,
  PATIENT_A,
  SENDER_MAILBOX,
  closeMeshClients,
  closeSimulators,
  codesAnswering,
  meshClient,
  routeThroughMeshRouter,
  sendReport,
  startTestSimulator,
  takeAcks,
  waitUntilAcknowledged,
} from './support';

let builds = 0;
const builtAt = (): string => new Date(Date.UTC(2026, 10, 22, 9, 0, builds++)).toISOString();

beforeAll(() => routeThroughMeshRouter());
beforeEach(() => resetMesh());
afterEach(async () => {
  await closeSimulators();
  await resetMesh();
});
afterAll(() => closeMeshClients());

test('malformed XML gets 10009 (UNREADABLE-IN-ORIGINAL-MESSAGE) at the MESH sender, is taken off the inbox, and the next report is answered', async () => {
  const practice = await startTestSimulator({ mailboxes: [MAILBOX] });
  const sender = meshClient(SENDER_MAILBOX);
  await sender.send({
    to: MAILBOX,
    workflowId: 'GPFED_CONSULT_REPORT',
    body: '<?xml version="1.0"?><Bundle xmlns="http://hl7.org/fhir"><type value="message"></Bundle>',
    contentType: 'application/fhir+xml',
  });
  const valid = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });

  expect(await waitUntilAcknowledged(practice, MAILBOX, 2)).toMatchObject({
    received: 2,
    invalid: 1,
    acknowledged: 2,
  });
  const acks = await takeAcks(sender);
  const unreadable = acks.filter(
    (a) => a.response.originalMessageHeaderId === UNREADABLE_ORIGINAL_IDENTIFIER,
  );
  expect(unreadable).toHaveLength(1);
  expect(unreadable[0]?.message.workflowId).toBe('GPFED_CONSULT_REPORT_ACK');
  expect(unreadable[0]?.response).toMatchObject({ code: '10009', kind: 'infrastructure', positive: false });
  expect(unreadable[0]?.response.diagnostics).toMatch(/not well-formed XML/);
  expect(codesAnswering(acks, valid.messageHeaderId)).toEqual(['20013', '30001']);
  expect((await meshClient(MAILBOX).listInboxPage()).messageIds).toEqual([]);
});

/** The handling-specification key `url` of the message's MessageHeader. */
function handlingKey(message: any, url: string): any {
  return message.entry[0].resource.extension[0].extension.find((key: any) => key.url === url);
}

interface Fault {
  fault: string;
  code: string;
  edit: (message: any) => void;
  /** False when the fault leaves no SenderReference to echo. */
  echoesSenderReference: boolean;
}

const FAULTS: Fault[] = [
  {
    fault: 'InfAckRequested false',
    code: '10002',
    edit: (m) => (handlingKey(m, 'InfAckRequested').valueBoolean = false),
    echoesSenderReference: true,
  },
  {
    fault: 'BusAckRequested false',
    code: '10003',
    edit: (m) => (handlingKey(m, 'BusAckRequested').valueBoolean = false),
    echoesSenderReference: true,
  },
  {
    fault: 'no SenderReference',
    code: '10007',
    edit: (m) => {
      const keys = m.entry[0].resource.extension[0].extension;
      keys.splice(keys.indexOf(handlingKey(m, 'SenderReference')), 1);
    },
    echoesSenderReference: false,
  },
  {
    fault: 'no handling specification',
    code: '10001',
    edit: (m) => delete m.entry[0].resource.extension,
    echoesSenderReference: false,
  },
  {
    fault: 'event ITK008M instead of ITK007C',
    code: '20006',
    edit: (m) => (m.entry[0].resource.event.code = 'ITK008M'),
    echoesSenderReference: true,
  },
  {
    // The answer then goes to the MESH sender instead.
    fault: 'no source.endpoint',
    code: '20006',
    edit: (m) => delete m.entry[0].resource.source,
    echoesSenderReference: true,
  },
  {
    fault: 'a Patient without an NHS number',
    code: '20009',
    edit: (m) => {
      const patient = m.entry[2].resource.entry.find(
        (e: any) => e.resource.resourceType === 'Patient',
      ).resource;
      delete patient.identifier;
    },
    echoesSenderReference: true,
  },
];

test.each(['xml', 'json'] as const)(
  'ITK3 header and payload rules (%s): each fault earns its negative infrastructure code, quoting the MessageHeader id',
  async (format) => {
    const practice = await startTestSimulator({ mailboxes: [MAILBOX] });
    const sender = meshClient(SENDER_MAILBOX);
    const sent = [];
    for (const fault of FAULTS) {
      sent.push({
        fault,
        report: await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt(), format, edit: fault.edit }),
      });
    }

    expect(await waitUntilAcknowledged(practice, MAILBOX, FAULTS.length)).toMatchObject({
      received: FAULTS.length,
      invalid: FAULTS.length,
    });
    const acks = await takeAcks(sender);
    expect(acks).toHaveLength(FAULTS.length);
    for (const { fault, report } of sent) {
      const answers = acks.filter((a) => a.response.originalMessageHeaderId === report.messageHeaderId);
      expect({ fault: fault.fault, codes: answers.map((a) => a.response.code) }).toEqual({
        fault: fault.fault,
        codes: [fault.code],
      });
      expect(answers[0]?.message.workflowId).toBe('GPFED_CONSULT_REPORT_ACK');
      expect(answers[0]?.response.senderReference).toBe(
        fault.echoesSenderReference ? PATIENT_A.encounterId.toLowerCase() : UNREADABLE_ORIGINAL_IDENTIFIER,
      );
    }
  },
);

test('the same MessageHeader id again is a duplicate: 20007, and counted', async () => {
  const practice = await startTestSimulator({ mailboxes: [MAILBOX] });
  const sender = meshClient(SENDER_MAILBOX);
  const firstBuiltAt = builtAt();
  const first = await sendReport(sender, PATIENT_A, { firstBuiltAt });
  await waitUntilAcknowledged(practice, MAILBOX, 1);
  const again = await sendReport(sender, PATIENT_A, { firstBuiltAt });
  expect(again.messageHeaderId).toBe(first.messageHeaderId);

  expect(await waitUntilAcknowledged(practice, MAILBOX, 2)).toMatchObject({
    received: 2,
    duplicates: 1,
    invalid: 0,
  });
  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, first.messageHeaderId)).toEqual(['20013', '30001', '20007']);
});

test('an acknowledgement MESH refuses (source.endpoint names no mailbox) is counted, and the message still leaves the inbox', async () => {
  const practice = await startTestSimulator({ mailboxes: [MAILBOX] });
  const sender = meshClient(SENDER_MAILBOX);
  await sendReport(sender, PATIENT_A, {
    firstBuiltAt: builtAt(),
    edit: (m: any) => (m.entry[0].resource.source.endpoint = 'NOSUCHMAILBOX'),
  });

  expect(await waitUntilAcknowledged(practice, MAILBOX, 1)).toMatchObject({ received: 1, acknowledged: 1 });
  expect(practice.stats()).toMatchObject({ ackFailures: 1, acksSent: {} });
  expect(await takeAcks(sender)).toEqual([]);
});

test('MESH reports and acknowledgements are taken off the inbox and never answered', async () => {
  const practice = await startTestSimulator({ mailboxes: [MAILBOX] });
  const sender = meshClient(SENDER_MAILBOX);
  await injectReport({
    mailbox: MAILBOX,
    code: 'EPL-151',
    description: 'routing failed',
    workflowId: 'GPFED_CONSULT_REPORT',
  });
  await sender.send({
    to: MAILBOX,
    workflowId: 'GPFED_CONSULT_REPORT_ACK',
    body: '<Bundle xmlns="http://hl7.org/fhir"/>',
  });

  expect(await waitUntilAcknowledged(practice, MAILBOX, 2)).toMatchObject({ received: 0, ignored: 2 });
  expect(await takeAcks(sender)).toEqual([]);
  expect(practice.stats().acksSent).toEqual({});
});
