/**
 * What the alert webhook receives (docs/operations.md, "Alert payloads"), over real HTTP from the alert activities:
 * every payload carries `source`, `key`, `status` and `count` besides the alert's own fields, whichever workflow
 * raised it, and alerts raised without a lifecycle open a key of their own subject and kind.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAlertActivities, deliverAlert, webhookAlertSink, type AlertSink } from '../../../activities/alerts/raise-alert';
import type { OperatorAlert } from '../../../workflows/encounter-activities';

const ENCOUNTER = '6f1c2a4e-7d1b-4c55-9a0e-1d2f3a4b5c6d';
const received: unknown[] = [];
let server: http.Server;
let sink: AlertSink;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink = webhookAlertSink(`http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => (received.length = 0));

const raiseAlert = (alert: OperatorAlert) => new MockActivityEnvironment().run(createAlertActivities([sink]).raiseAlert, alert);
const deliver = (alert: Parameters<typeof deliverAlert>[1]) => new MockActivityEnvironment().run(deliverAlert, [sink], alert);

it('an encounter alert carries its key, status and count as the workflow set them', async () => {
  const key = `encounter-${ENCOUNTER}/send-failed`;
  await raiseAlert({ encounterId: ENCOUNTER, hostingPracticeOds: 'Y90001', kind: 'send-failed', version: 1, detail: 'send failed: MeshPermanentError', key, status: 'updated', count: 2 });
  expect(received).toEqual([
    {
      contentType: 'application/json',
      body: { source: 'fedreport', encounterId: ENCOUNTER, hostingPracticeOds: 'Y90001', kind: 'send-failed', version: 1, detail: 'send failed: MeshPermanentError', key, status: 'updated', count: 2 },
    },
  ]);
});

it('an alert raised without a lifecycle opens a key of its subject and kind', async () => {
  await raiseAlert({ encounterId: ENCOUNTER, hostingPracticeOds: 'Y90001', kind: 'rejected', version: 1, detail: 'business acknowledgement 30002' });
  await deliver({ kind: 'inbox-quarantined', mailbox: 'X26ABC1', meshMessageId: 'M1', detail: 'unreadable: not FHIR' });
  expect(received.map((r) => (r as { body: object }).body)).toEqual([
    expect.objectContaining({ source: 'fedreport', key: `encounter-${ENCOUNTER}/rejected`, status: 'open', count: 1 }),
    expect.objectContaining({ source: 'fedreport', key: 'mailbox-X26ABC1/message-M1/inbox-quarantined', status: 'open', count: 1, mailbox: 'X26ABC1' }),
  ]);
});

it('backlog alerts carry the backlog’s size and threshold', async () => {
  const backlog = { size: 2, threshold: 10 };
  await deliver({ kind: 'quarantine-backlog', mailbox: 'X26ABC1', key: 'mailbox-X26ABC1/quarantine-backlog', status: 'resolved', count: 3, backlog, detail: '2 MESH message(s) in quarantine: back at or under the threshold of 10' });
  await deliver({ kind: 'unacknowledged-backlog', practiceOds: 'Y90001', key: 'practice-Y90001/unacknowledged-backlog', status: 'open', count: 1, backlog: { size: 12, threshold: 10 }, detail: '12 report(s) awaiting acknowledgement for over 3 day(s): over the threshold of 10' });
  expect(received.map((r) => (r as { body: object }).body)).toEqual([
    { source: 'fedreport', kind: 'quarantine-backlog', mailbox: 'X26ABC1', key: 'mailbox-X26ABC1/quarantine-backlog', status: 'resolved', count: 3, backlog, detail: '2 MESH message(s) in quarantine: back at or under the threshold of 10' },
    { source: 'fedreport', kind: 'unacknowledged-backlog', practiceOds: 'Y90001', key: 'practice-Y90001/unacknowledged-backlog', status: 'open', count: 1, backlog: { size: 12, threshold: 10 }, detail: '12 report(s) awaiting acknowledgement for over 3 day(s): over the threshold of 10' },
  ]);
});
