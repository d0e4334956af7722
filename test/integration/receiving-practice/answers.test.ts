/**
 * The simulator answers real consultation report messages, routed by the MESH router to the registered practices'
 * mailboxes of the run's mesh-sandbox: positive acks by default, and each configurable behaviour (negative codes,
 * none, delayed, infrastructure only, per patient).
 */
import { resetMesh } from '../../support/mesh';
import {
  MAILBOX_A,
  MAILBOX_B,
  PATIENT_A,
  PATIENT_B,
  SENDER_MAILBOX,
  capturingLogger,
  closeMeshClients,
  closeSimulators,
  codesAnswering,
  meshClient,
  routeThroughMeshRouter,
  sendReport,
  startTestSimulator,
  takeAcks,
  waitFor,
  waitUntilAcknowledged,
} from './support';

let builds = 0;
/** A new build time per message, so MessageHeader ids never repeat across tests. */
const builtAt = (): string => new Date(Date.UTC(2026, 10, 21, 9, 0, builds++)).toISOString();

beforeAll(() => routeThroughMeshRouter());
beforeEach(() => resetMesh());
afterEach(async () => {
  await closeSimulators();
  await resetMesh();
});
afterAll(() => closeMeshClients());

test('a report gets 20013 then 30001 on GPFED_CONSULT_REPORT_ACK quoting its MessageHeader id, and leaves the inbox; no patient data in logs', async () => {
  const logs: string[] = [];
  const practice = await startTestSimulator({ mailboxes: [MAILBOX_A], logger: capturingLogger(logs) });
  const sender = meshClient(SENDER_MAILBOX);
  const sent = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });

  expect(await waitUntilAcknowledged(practice, MAILBOX_A, 1)).toMatchObject({
    received: 1,
    invalid: 0,
    duplicates: 0,
  });
  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, sent.messageHeaderId)).toEqual(['20013', '30001']);
  expect(acks).toHaveLength(2);
  for (const { message, response } of acks) {
    expect(message).toMatchObject({
      workflowId: 'GPFED_CONSULT_REPORT_ACK',
      from: MAILBOX_A,
      contentType: 'application/fhir+xml',
    });
    expect(response).toMatchObject({
      positive: true,
      recognised: true,
      senderReference: PATIENT_A.encounterId.toLowerCase(),
      responderOdsCode: 'Y99999',
    });
  }
  expect(acks.map((a) => a.response.kind).sort()).toEqual(['business', 'infrastructure']);
  expect((await meshClient(MAILBOX_A).listInboxPage()).messageIds).toEqual([]);

  const stats = (await (await fetch(`${practice.adminUrl}/stats`)).json()) as ReturnType<
    typeof practice.stats
  >;
  expect(stats).toMatchObject({
    mailboxes: { [MAILBOX_A]: { received: 1, acknowledged: 1, unanswered: 0, ignored: 0 } },
    acksSent: { '20013': 1, '30001': 1 },
    ackFailures: 0,
    pendingAnswers: 0,
  });

  const logText = logs.join('\n');
  expect(logs.length).toBeGreaterThan(0);
  expect(logText).not.toContain(PATIENT_A.patient.nhsNumber);
  expect(logText.toLowerCase()).not.toContain(PATIENT_A.patient.name.family.toLowerCase());
  expect(logText).not.toContain('GPPROVIDER_');
  expect(logText).not.toContain('19580314');
});

test('a JSON report on GPCONNECT_SEND_DOCUMENT is answered in JSON on GPCONNECT_SEND_DOCUMENT_ACK, from the reply mailbox, as the mailbox’s practice', async () => {
  const practice = await startTestSimulator({
    mailboxes: [MAILBOX_A],
    replyMailbox: 'X26ABC3',
    responderOdsCodes: { [MAILBOX_A]: 'Y90002' },
  });
  const sender = meshClient(SENDER_MAILBOX);
  const sent = await sendReport(sender, PATIENT_A, {
    firstBuiltAt: builtAt(),
    format: 'json',
    workflowId: 'GPCONNECT_SEND_DOCUMENT',
  });

  await waitUntilAcknowledged(practice, MAILBOX_A, 1);
  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, sent.messageHeaderId)).toEqual(['20013', '30001']);
  for (const { message, response } of acks) {
    expect(message).toMatchObject({
      workflowId: 'GPCONNECT_SEND_DOCUMENT_ACK',
      from: 'X26ABC3',
      contentType: 'application/fhir+json',
    });
    expect(response.responderOdsCode).toBe('Y90002');
    const header = JSON.parse(message.body.toString('utf8')).entry[0].resource;
    expect(header.source.endpoint).toBe('X26ABC3');
  }
});

test('negative business code: 20013, then 30002 with the configured diagnostics', async () => {
  const practice = await startTestSimulator({
    mailboxes: [MAILBOX_A],
    behaviour: {
      default: { mode: 'negative', code: '30002', diagnostics: 'no such patient registered here' },
    },
  });
  const sender = meshClient(SENDER_MAILBOX);
  const sent = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });

  await waitUntilAcknowledged(practice, MAILBOX_A, 1);
  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, sent.messageHeaderId)).toEqual(['20013', '30002']);
  expect(acks.find((a) => a.response.code === '30002')?.response).toMatchObject({
    kind: 'business',
    positive: false,
    diagnostics: 'no such patient registered here',
  });
  expect(practice.stats().acksSent).toEqual({ '20013': 1, '30002': 1 });
});

test('negative infrastructure code: 20009 is the only answer', async () => {
  const practice = await startTestSimulator({
    mailboxes: [MAILBOX_A],
    behaviour: { default: { mode: 'negative', code: '20009' } },
  });
  const sender = meshClient(SENDER_MAILBOX);
  const sent = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });

  await waitUntilAcknowledged(practice, MAILBOX_A, 1);
  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, sent.messageHeaderId)).toEqual(['20009']);
  expect(acks).toHaveLength(1);
  expect(acks[0]?.response).toMatchObject({ kind: 'infrastructure', positive: false });
});

test('none: the message is taken off the inbox and never answered', async () => {
  const practice = await startTestSimulator({
    mailboxes: [MAILBOX_A],
    behaviour: { default: { mode: 'none' } },
  });
  const sender = meshClient(SENDER_MAILBOX);
  await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });

  expect(await waitUntilAcknowledged(practice, MAILBOX_A, 1)).toMatchObject({ received: 1, unanswered: 1 });
  expect(await takeAcks(sender)).toEqual([]);
  expect(practice.stats().acksSent).toEqual({});
});

test('infrastructure-only: 20013 and no business acknowledgement', async () => {
  const practice = await startTestSimulator({
    mailboxes: [MAILBOX_A],
    behaviour: { default: { mode: 'infrastructure-only' } },
  });
  const sender = meshClient(SENDER_MAILBOX);
  const sent = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });

  await waitUntilAcknowledged(practice, MAILBOX_A, 1);
  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, sent.messageHeaderId)).toEqual(['20013']);
  expect(acks).toHaveLength(1);
});

test('delayed: both acks come after the delay, the message stays in MESH meanwhile and is handled once, and later messages are not held up', async () => {
  const delayMs = 1500;
  const practice = await startTestSimulator({
    mailboxes: [MAILBOX_A, MAILBOX_B],
    behaviour: {
      default: { mode: 'positive' },
      patients: [{ nhsNumber: PATIENT_A.patient.nhsNumber, policy: { mode: 'delayed', delayMs } }],
    },
  });
  const sender = meshClient(SENDER_MAILBOX);
  const delayed = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });
  await waitFor('the delayed answer to be pending', () =>
    practice.stats().pendingAnswers === 1 ? true : undefined,
  );
  const receivedAt = Date.now();
  const prompt = await sendReport(sender, PATIENT_B, { firstBuiltAt: builtAt() });

  await waitUntilAcknowledged(practice, MAILBOX_B, 1);
  expect(Date.now() - receivedAt).toBeLessThan(delayMs);
  expect((await meshClient(MAILBOX_A).listInboxPage()).messageIds).toEqual([delayed.messageId]);
  const early = await takeAcks(sender);
  expect(codesAnswering(early, prompt.messageHeaderId)).toEqual(['20013', '30001']);
  expect(codesAnswering(early, delayed.messageHeaderId)).toEqual([]);

  await waitUntilAcknowledged(practice, MAILBOX_A, 1);
  expect(Date.now() - receivedAt).toBeGreaterThanOrEqual(delayMs - 100);
  const late = await takeAcks(sender);
  expect(codesAnswering(late, delayed.messageHeaderId)).toEqual(['20013', '30001']);
  expect(practice.stats()).toMatchObject({ mailboxes: { [MAILBOX_A]: { received: 1 } }, pendingAnswers: 0 });
});

test('per-patient behaviour set through the admin endpoint: one patient rejected with 30002, the other answered positively', async () => {
  const practice = await startTestSimulator({ mailboxes: [MAILBOX_A, MAILBOX_B] });
  const put = await fetch(`${practice.adminUrl}/behaviour`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      default: { mode: 'positive' },
      // Spaces as people type them: normalised like the snapshot's NHS number.
      patients: [
        {
          nhsNumber: PATIENT_B.patient.nhsNumber.replace(/^(\d{3})(\d{3})/, '$1 $2 '),
          policy: { mode: 'negative', code: '30002' },
        },
      ],
    }),
  });
  expect(put.status).toBe(200);
  expect(await put.json()).toEqual({ default: { mode: 'positive' }, patientRules: 1 });

  const sender = meshClient(SENDER_MAILBOX);
  const toA = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });
  const toB = await sendReport(sender, PATIENT_B, { firstBuiltAt: builtAt() });
  await waitUntilAcknowledged(practice, MAILBOX_A, 1);
  await waitUntilAcknowledged(practice, MAILBOX_B, 1);

  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, toA.messageHeaderId)).toEqual(['20013', '30001']);
  expect(codesAnswering(acks, toB.messageHeaderId)).toEqual(['20013', '30002']);
  expect(practice.stats()).toMatchObject({
    mailboxes: { [MAILBOX_A]: { received: 1 }, [MAILBOX_B]: { received: 1 } },
    acksSent: { '20013': 2, '30001': 1, '30002': 1 },
  });
});

test('setBehaviour at runtime applies to the next message', async () => {
  const practice = await startTestSimulator({ mailboxes: [MAILBOX_A] });
  const sender = meshClient(SENDER_MAILBOX);
  const first = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });
  await waitUntilAcknowledged(practice, MAILBOX_A, 1);

  practice.setBehaviour({ default: { mode: 'positive', businessCode: '30004' } });
  const second = await sendReport(sender, PATIENT_A, { version: 2, firstBuiltAt: builtAt() });
  await waitUntilAcknowledged(practice, MAILBOX_A, 2);

  const acks = await takeAcks(sender);
  expect(codesAnswering(acks, first.messageHeaderId)).toEqual(['20013', '30001']);
  expect(codesAnswering(acks, second.messageHeaderId)).toEqual(['20013', '30004']);
  expect(acks.every((a) => a.response.positive)).toBe(true);
});

test('close() drops a delayed answer that is not yet due and leaves its message in MESH', async () => {
  const practice = await startTestSimulator({
    mailboxes: [MAILBOX_A],
    behaviour: { default: { mode: 'delayed', delayMs: 60_000 } },
  });
  const sender = meshClient(SENDER_MAILBOX);
  const sent = await sendReport(sender, PATIENT_A, { firstBuiltAt: builtAt() });
  await waitFor('the delayed answer to be pending', () =>
    practice.stats().pendingAnswers === 1 ? true : undefined,
  );

  const closing = Date.now();
  await practice.close();
  expect(Date.now() - closing).toBeLessThan(5_000);
  expect(practice.stats().pendingAnswers).toBe(0);
  expect(await takeAcks(sender)).toEqual([]);
  expect((await meshClient(MAILBOX_A).listInboxPage()).messageIds).toEqual([sent.messageId]);
});
