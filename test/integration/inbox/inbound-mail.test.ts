/**
 * Issue 14 against real parts: the worker process (worker/main.ts), the dev server, mesh-sandbox with real MESH
 * messages, the PDS double and the receiving-practice simulator. Each case puts something odd in the hosting
 * practice's mailbox, then a good ack for a probe encounter; the inbox must deal with the odd message, route the probe
 * within one poll, and a normal consultation submitted alongside must still reach `acknowledged`. The figures (time
 * until the probe was routed, the worker's peak RSS) are written to test-results/inbox-figures.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { registerQuarantineCommands } from '../../../client/cli/quarantine-commands';
import { encounterStatus, submitConsultationSaved } from '../../../client/encounters';
import { parseConsultationSnapshot, type ConsultationSnapshot } from '../../../domain/snapshot';
import { UNREADABLE_ORIGINAL_IDENTIFIER } from '../../../integrations/itk3';
import { QuarantineStore } from '../../../integrations/mesh/quarantine-store';
import { PROJECT_ROOT } from '../../../tooling/paths';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE, type EncounterStatus } from '../../../workflows/encounter-messages';
import { REPORT_MESSAGE_IDS } from '../../../workflows/search-attributes';
import { runFedreportCli } from '../../support/cli';
import { injectReport, resetMesh } from '../../support/mesh';
import { gzipOfZeros, randomContent } from './support/hostile-messages';
import { InboxStack, OTHER_PRACTICE, REGISTERED, SENDER, until } from './support/inbox-stack';

const RUN_DIR = path.join(PROJECT_ROOT, 'test-results', 'inbox', String(process.pid));
const FIGURES_FILE = path.join(PROJECT_ROOT, 'test-results', 'inbox-figures.md');
const RSS_LIMIT_MIB = 512;

function example(file: string): ConsultationSnapshot {
  const json = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', file), 'utf8'));
  const now = Date.now();
  return parseConsultationSnapshot({
    ...json,
    encounterId: crypto.randomUUID(),
    savedAt: new Date(now).toISOString(),
    consultation: { ...json.consultation, startedAt: new Date(now - 10 * 60_000).toISOString() },
  });
}
/** The simulator answers this patient normally; the other one never (the test answers for it). */
const ANSWERED = 'consultation-temporary-resident.json';
const UNANSWERED = 'consultation-two-page.json';

interface Figure {
  case: string;
  happened: string;
  /** Absent for a case without a running worker. */
  probe?: { nextAckMs: number; polls: number; peakRssMiB: number };
}
const figures: Figure[] = [];
let stack: InboxStack;
let baseline: { encounterId: string; messageHeaderId: string };

async function submit(file = ANSWERED): Promise<string> {
  const snapshot = example(file);
  await submitConsultationSaved(stack.client, snapshot);
  return snapshot.encounterId;
}

async function reaches(
  encounterId: string,
  state: EncounterStatus['state'],
  timeoutMs = 60_000,
): Promise<EncounterStatus> {
  return until(
    `encounter ${encounterId} reaches ${state}`,
    async () => {
      const status = await encounterStatus(stack.client, encounterId);
      return status?.state === state ? status : undefined;
    },
    timeoutMs,
  );
}

async function messageHeaderIdOf(encounterId: string): Promise<string> {
  return until('the report is sent', async () => {
    const description = await stack.client.workflow.getHandle(encounterWorkflowId(encounterId)).describe();
    return description.typedSearchAttributes.get(REPORT_MESSAGE_IDS)?.[0];
  });
}

interface Case<T> {
  /** Puts the odd message(s) in the inbox. */
  enqueue: () => Promise<T>;
  /** Waits for what became of them, checks it, and says it for the figures. */
  settle: (enqueued: T) => Promise<string>;
}

/**
 * One case: the odd message(s), then at once a good ack for the probe encounter, timed from its sending until the
 * inbox signalled it (and counted in polls); then the odd message's outcome. Peak worker RSS over all of it.
 */
async function measured<T>(
  name: string,
  { enqueue, settle }: Case<T>,
): Promise<NonNullable<Figure['probe']>> {
  stack.rss!.reset();
  const enqueued = await enqueue();
  const probe = await stack.probeAck();
  const happened = await settle(enqueued);
  const figure = { nextAckMs: probe.ms, polls: probe.polls, peakRssMiB: stack.rss!.peakMiB() };
  figures.push({ case: name, happened, probe: figure });
  expect(figure.polls).toBeLessThanOrEqual(2);
  expect(figure.peakRssMiB).toBeLessThan(RSS_LIMIT_MIB);
  return figure;
}

/** The quarantine record of a message once the worker wrote it. */
function quarantined(messageId: string) {
  const store = new QuarantineStore(stack.quarantineDir);
  return until(`${messageId} is quarantined`, async () => store.get(SENDER, messageId));
}

function alertFor(messageId: string) {
  return until(`an alert for ${messageId}`, async () =>
    stack.alerts.find((a) => a.meshMessageId === messageId),
  );
}

async function signalArgs(encounterId: string, name: string) {
  return (await stack.signalsTo(encounterWorkflowId(encounterId)))
    .filter((s) => s.name === name)
    .map((s) => s.arg);
}

/** `fedreport <args>` in this process, with the worker's settings in the environment. */
async function cli(args: string[]) {
  const settings = stack.env();
  const saved = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    return await runFedreportCli(registerQuarantineCommands, args);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

beforeAll(async () => {
  // The registered practices' own mailboxes: Y90002 (the answered patient's) and Y90003 (the unanswered one's).
  const recipients = [REGISTERED, OTHER_PRACTICE];
  for (const mailbox of [SENDER, ...recipients]) await resetMesh(mailbox);
  const unanswered = example(UNANSWERED).patient.nhsNumber;
  stack = await InboxStack.start(RUN_DIR, recipients, {
    patients: [{ nhsNumber: unanswered, policy: { mode: 'none' } }],
  });
  await stack.startWorker();
}, 180_000);

afterAll(async () => {
  await stack?.close();
  const table = [
    '| case | what happened | next good ack routed after | polls completed meanwhile | peak worker RSS |',
    '| --- | --- | --- | --- | --- |',
    ...figures.map(({ probe: p, ...f }) =>
      p
        ? `| ${f.case} | ${f.happened} | ${(p.nextAckMs / 1000).toFixed(1)} s | ${p.polls} | ${p.peakRssMiB} MiB |`
        : `| ${f.case} | ${f.happened} | – | – | – |`,
    ),
  ].join('\n');
  fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  fs.writeFileSync(FIGURES_FILE, `${table}\n`);
  process.stdout.write(`${table}\n`);
}, 60_000);

it('baseline: a consultation reaches acknowledged and a good ack is routed within one poll', async () => {
  const encounterId = await submit();
  await measured('baseline (nothing odd)', {
    enqueue: async () => undefined,
    settle: async () => 'nothing odd in the inbox',
  });
  await reaches(encounterId, 'acknowledged');
  baseline = { encounterId, messageHeaderId: await messageHeaderIdOf(encounterId) };
}, 120_000);

it('a message of another workflow and a report for the practice’s own system stay in the inbox, unacknowledged', async () => {
  const encounterId = await submit();
  await measured('message of another workflow; DATA report for the practice system', {
    enqueue: async () => [
      await stack.sendData(REGISTERED, 'PATHOLOGY_RESULTS', 'not ours'),
      await stack.sendData(REGISTERED, 'GPFED_CONSULT_REPORT', '<Bundle xmlns="http://hl7.org/fhir"/>'),
    ],
    settle: async (left) => {
      const polls = (await stack.inboxStatus()).polls;
      await until('two more polls', async () =>
        (await stack.inboxStatus()).polls >= polls + 2 ? true : undefined,
      );
      expect(await stack.inbox()).toEqual(expect.arrayContaining(left));
      expect((await stack.inboxStatus()).totals.leftForOthers).toBeGreaterThan(0);
      return 'left in the inbox unread and unacknowledged, still listed two polls later';
    },
  });
  await reaches(encounterId, 'acknowledged');
}, 120_000);

it('an ack for a MessageHeader id nobody sent is quarantined with an alert, and replayed once its encounter exists', async () => {
  const encounterId = await submit();
  const unknownId = crypto.randomUUID();
  let messageId = '';
  await measured('ack for a MessageHeader id nobody sent', {
    enqueue: () => stack.sendAnswer({ messageHeaderId: unknownId }),
    settle: async (sent) => {
      messageId = sent;
      expect(await quarantined(sent)).toMatchObject({
        reason: 'unmatched',
        kind: 'ack',
        acknowledgedInMesh: true,
      });
      return 'quarantined (unmatched) with alert and metric, acknowledged in MESH; replayed once its encounter existed';
    },
  });
  expect(await alertFor(messageId)).toMatchObject({
    source: 'fedreport',
    kind: 'inbox-quarantined',
    mailbox: SENDER,
  });
  expect(await stack.metric('fedreport_inbox_quarantined', { reason: 'unmatched' })).toBeGreaterThanOrEqual(
    1,
  );
  expect(await stack.inbox()).not.toContain(messageId);
  expect((await cli(['quarantine', 'list'])).stdout).toContain(messageId);

  // The cause fixed: an encounter that sent this MessageHeader id now exists (no worker runs it).
  const lateId = crypto.randomUUID();
  await stack.client.workflow.start(ENCOUNTER_WORKFLOW_TYPE, {
    workflowId: encounterWorkflowId(lateId),
    taskQueue: 'inbox-probe-no-worker',
    args: [{ encounterId: lateId, hostingPracticeOds: 'Y90001' }],
    typedSearchAttributes: [{ key: REPORT_MESSAGE_IDS, value: [unknownId] }],
  });
  const replayed = await until('the replay routes it', async () => {
    const run = await cli(['quarantine', 'replay', SENDER, messageId, '--by', 'inbox test']);
    return run.error === undefined ? run : undefined;
  });
  expect(replayed.stdout).toContain(`replayed ${messageId}`);
  expect(await signalArgs(lateId, 'acknowledgementReceived')).toEqual([
    expect.objectContaining({ messageHeaderId: unknownId }),
  ]);
  expect(await new QuarantineStore(stack.quarantineDir).get(SENDER, messageId)).toBeUndefined();
  await stack.client.workflow.getHandle(encounterWorkflowId(lateId)).terminate('test finished');
  await reaches(encounterId, 'acknowledged');
}, 180_000);

it('a malformed ack is quarantined with its body, acknowledged in MESH and alerted; the mailbox’s backlog alert resolves once it is discarded', async () => {
  const encounterId = await submit();
  let messageId = '';
  await measured('malformed ack', {
    enqueue: () => stack.sendData(REGISTERED, 'GPFED_CONSULT_REPORT_ACK', 'this is not <FHIR'),
    settle: async (sent) => {
      messageId = sent;
      expect(await quarantined(sent)).toMatchObject({
        reason: 'unreadable',
        acknowledgedInMesh: true,
        bodyBytes: 17,
      });
      return 'quarantined (unreadable) with its body and an alert, acknowledged in MESH';
    },
  });
  await alertFor(messageId);
  const out = path.join(RUN_DIR, 'malformed.body');
  const shown = await cli(['quarantine', 'show', SENDER, messageId, '--out', out]);
  expect(JSON.parse(shown.stdout)).toMatchObject({
    reason: 'unreadable',
    headers: { to: '[hidden]' },
    bodyKept: true,
  });
  expect(fs.readFileSync(out, 'utf8')).toBe('this is not <FHIR');
  const backlog = (status: string) => (a: Record<string, unknown>) =>
    a.kind === 'quarantine-backlog' && a.status === status;
  expect(stack.alerts.find(backlog('open'))).toMatchObject({
    key: `mailbox-${SENDER}/quarantine-backlog`,
    mailbox: SENDER,
    backlog: { threshold: 0 },
  });
  const beforeDiscard = stack.alerts.length;
  expect((await cli(['quarantine', 'discard', SENDER, messageId, '--by', 'inbox test'])).stdout).toContain(
    'discarded',
  );
  // The next poll counts an empty quarantine: the mailbox's backlog alert is resolved.
  expect(
    await until('the backlog resolved', async () =>
      stack.alerts.slice(beforeDiscard).find(backlog('resolved')),
    ),
  ).toMatchObject({
    key: `mailbox-${SENDER}/quarantine-backlog`,
    backlog: { size: 0, threshold: 0 },
  });
  await reaches(encounterId, 'acknowledged');
}, 120_000);

it('an ack from another practice’s mailbox reaches its encounter saying who answered', async () => {
  const encounterId = await submit(UNANSWERED);
  const messageHeaderId = await messageHeaderIdOf(encounterId);
  const registered = (await encounterStatus(stack.client, encounterId))?.registeredPracticeOds;
  // The example federation's other practice: its own mailbox and ODS code.
  const [from, responderOds] = registered === 'Y90003' ? [REGISTERED, 'Y90002'] : [OTHER_PRACTICE, 'Y90003'];
  await measured('ack from another practice’s mailbox', {
    enqueue: async () => {
      await stack.sendAnswer({ messageHeaderId, code: '20013', from, responderOds });
      await stack.sendAnswer({ messageHeaderId, code: '30001', from, responderOds });
    },
    settle: async () => {
      await until('both answers signalled', async () =>
        (await signalArgs(encounterId, 'acknowledgementReceived')).length === 2 ? true : undefined,
      );
      return `signalled with senderMailbox ${from}, responderOds ${responderOds} (registered ${registered}): recorded, alerted`;
    },
  });
  // Both answers come in one poll, handled at once: in either order.
  const signalled = await signalArgs(encounterId, 'acknowledgementReceived');
  expect(signalled).toHaveLength(2);
  expect(signalled).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ messageHeaderId, code: '20013', senderMailbox: from, responderOds }),
      expect.objectContaining({ messageHeaderId, code: '30001', senderMailbox: from, responderOds }),
    ]),
  );
  // The encounter's side of the contract: recorded, with an alert naming who answered.
  const status = await until('the unexpected responder is alerted', async () => {
    const current = await encounterStatus(stack.client, encounterId);
    return current?.alerts.some((a) => a.includes(`answered by ODS ${responderOds}`)) ? current : undefined;
  });
  expect(status.codesReceived.map((c) => c.code)).toEqual(expect.arrayContaining(['20013', '30001']));
}, 120_000);

it('a 10009 answer carrying UNREADABLE and the SenderReference reaches its encounter', async () => {
  const encounterId = await submit(UNANSWERED);
  await messageHeaderIdOf(encounterId);
  await measured('10009 with UNREADABLE and SenderReference', {
    enqueue: () =>
      stack.sendAnswer({
        messageHeaderId: UNREADABLE_ORIGINAL_IDENTIFIER,
        senderReference: encounterId,
        code: '10009',
      }),
    settle: async () => {
      await until('the answer is signalled', async () =>
        (await signalArgs(encounterId, 'acknowledgementReceived')).length === 1 ? true : undefined,
      );
      return 'routed by SenderReference, unreadableOriginal set: encounter rejected; acknowledged in MESH';
    },
  });
  expect(await signalArgs(encounterId, 'acknowledgementReceived')).toEqual([
    expect.objectContaining({
      messageHeaderId: UNREADABLE_ORIGINAL_IDENTIFIER,
      unreadableOriginal: true,
      code: '10009',
      positive: false,
      display: 'Unreadable message received',
    }),
  ]);
  const status = await reaches(encounterId, 'rejected');
  expect(status.codesReceived.map((c) => c.code)).toContain('10009');
}, 120_000);

it('a MESH REPORT for a send reconciled by local id reaches its encounter by that local id', async () => {
  const encounterId = await submit(UNANSWERED);
  const messageHeaderId = await messageHeaderIdOf(encounterId);
  await measured('REPORT for a send reconciled by local id', {
    enqueue: () =>
      injectReport({
        mailbox: SENDER,
        code: 'EPL-151',
        // Tab and CSI (C1) travel in an HTTP header; a terminal would read CSI as an escape sequence.
        description: `ERROR_NO_MAILBOX_MATCHES\t\u009b31m${'x'.repeat(500)}`,
        workflowId: 'GPFED_CONSULT_REPORT',
        // A reconciled send knows no MESH message id for its report (local:…): only the local id can match.
        linkedMessageId: 'NOT_A_MESSAGE_WE_KNOW',
        localId: messageHeaderId,
      }),
    settle: async () => {
      await until('the REPORT is signalled', async () =>
        (await signalArgs(encounterId, 'meshReportReceived')).length === 1 ? true : undefined,
      );
      return 'routed by Mex-LocalID with its class, text sanitised and cut to 200: undeliverable; acknowledged';
    },
  });
  const [report] = await signalArgs(encounterId, 'meshReportReceived');
  expect(report).toMatchObject({
    localId: messageHeaderId,
    statusCode: 'EPL-151',
    classification: 'routing-failure',
  });
  expect(Array.from(report!.description as string).length).toBeLessThanOrEqual(200);
  expect(report!.description).toBe(`ERROR_NO_MAILBOX_MATCHES 31m${'x'.repeat(171)}…`);
  await reaches(encounterId, 'undeliverable');
}, 120_000);

it('an ack arriving after its encounter’s run completed is recorded and acknowledged', async () => {
  const handle = stack.client.workflow.getHandle(encounterWorkflowId(baseline.encounterId));
  await until(
    'the baseline run completes (idle retention 20s)',
    async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined),
    90_000,
  );
  const before = await signalArgs(baseline.encounterId, 'acknowledgementReceived');
  let messageId = '';
  await measured('ack after its encounter run completed', {
    enqueue: () => stack.sendAnswer({ messageHeaderId: baseline.messageHeaderId, code: '30001' }),
    settle: async (sent) => {
      messageId = sent;
      await until('the late answer reaches a new run', async () =>
        (await signalArgs(baseline.encounterId, 'acknowledgementReceived')).length > before.length
          ? true
          : undefined,
      );
      return 'no open run: signal-with-start of a new run, which records it; acknowledged in MESH';
    },
  });
  expect(await stack.inbox()).not.toContain(messageId);
  const runs: string[] = [];
  for await (const run of stack.client.workflow.list({
    query: `WorkflowId = '${encounterWorkflowId(baseline.encounterId)}'`,
  }))
    runs.push(run.runId);
  expect(runs.length).toBeGreaterThanOrEqual(2);
  // The encounter's side of the contract: the new run records the answer for the earlier run's version.
  const status = await until('the new run shows the late answer', async () => {
    const current = await encounterStatus(stack.client, baseline.encounterId);
    return current && current.codesReceived.some((c) => c.code === '30001') ? current : undefined;
  });
  expect(status.reportVersion).toBeGreaterThanOrEqual(1);
}, 180_000);

it('a gzip bomb (about 1 KB expanding past 1 GB) is quarantined while it inflates; RSS stays low', async () => {
  const encounterId = await submit();
  const inner = await gzipOfZeros(1_050_000_000);
  const onTheWire = zlib.gzipSync(inner).length; // as the sending client compresses it
  expect(onTheWire).toBeLessThan(4 * 1024);
  let messageId = '';
  const figure = await measured('gzip bomb (~1 KB on the wire → 1.05 GB)', {
    enqueue: async () => {
      const body = { to: SENDER, workflowId: 'GPFED_CONSULT_REPORT_ACK', body: inner };
      return (await stack.meshOf(REGISTERED).send({ ...body, compress: true, contentCompressed: true }))
        .messageId;
    },
    settle: async (sent) => {
      messageId = sent;
      expect(await quarantined(sent)).toMatchObject({ reason: 'too-large', acknowledgedInMesh: true });
      return `${onTheWire} B on the wire: quarantined (too-large) when inflation passed 1 MiB; acknowledged`;
    },
  });
  expect(await alertFor(messageId)).toMatchObject({ kind: 'inbox-quarantined' });
  expect(figure.peakRssMiB).toBeLessThan(RSS_LIMIT_MIB);
  await reaches(encounterId, 'acknowledged');
}, 180_000);

it('a 100 MB DATA message on the answer workflow is quarantined from its headers alone', async () => {
  const encounterId = await submit();
  await measured('100 MB DATA on the answer workflow', {
    enqueue: () => stack.sendData(REGISTERED, 'GPFED_CONSULT_REPORT_ACK', randomContent(100_000_000)),
    settle: async (sent) => {
      const record = await quarantined(sent);
      expect(record).toMatchObject({
        reason: 'too-large',
        acknowledgedInMesh: true,
        detail: expect.stringContaining('chunks'),
      });
      expect(record?.bodyBytes).toBeUndefined();
      return 'quarantined from its headers alone (2 chunks > 1), never downloaded; acknowledged';
    },
  });
  await reaches(encounterId, 'acknowledged');
}, 180_000);

it('with the receiving side on, a 100 MB document is streamed to disk up to the limit and left in MESH; RSS stays low', async () => {
  // With the receiving side on, this worker also takes documents from X26ABC2, the registered practice's mailbox
  // the router delivers to: the consultation goes out and is acknowledged first, the probe ack is interleaved.
  const encounterId = await submit();
  await reaches(encounterId, 'acknowledged');
  await stack.startWorker({ FEDREPORT_INBOX_RECEIVE_DOCUMENTS: 'true' });
  let messageId = '';
  await measured('100 MB DATA document (receiving side on)', {
    enqueue: () => stack.sendData(REGISTERED, 'GPFED_CONSULT_REPORT', randomContent(100_000_000)),
    settle: async (sent) => {
      messageId = sent;
      const record = await quarantined(sent);
      expect(record).toMatchObject({ kind: 'document', reason: 'too-large', acknowledgedInMesh: false });
      expect(record?.bodyBytes).toBeUndefined();
      return 'streamed to disk until past the 20 MiB limit, quarantined from its headers, left in MESH';
    },
  });
  expect(await alertFor(messageId)).toMatchObject({ kind: 'inbox-quarantined' });
  expect(await stack.inbox()).toContain(messageId);
  expect(fs.readdirSync(path.join(stack.quarantineDir, '.spool'))).toEqual([]);
  await reaches(encounterId, 'acknowledged');
}, 240_000);

it('an unwritable quarantine location: the worker refuses to start and names the variable', async () => {
  const notAFolder = path.join(RUN_DIR, 'not-a-folder');
  fs.writeFileSync(notAFolder, '');
  const exit = await stack.workerExit({ FEDREPORT_QUARANTINE_DIR: path.join(notAFolder, 'quarantine') });
  expect(exit.code).toBe(1);
  expect(exit.output).toContain('FEDREPORT_QUARANTINE_DIR');
  expect(exit.output).toMatch(/cannot write to .*not-a-folder\/quarantine \(ENOTDIR\)/);
  figures.push({
    case: 'unwritable quarantine location',
    happened: `worker exited ${exit.code} at start, naming FEDREPORT_QUARANTINE_DIR`,
  });
}, 90_000);
