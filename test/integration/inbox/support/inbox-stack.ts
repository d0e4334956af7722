/**
 * The inbox under test as in production: the worker as its own process (worker/main.ts, configured by environment),
 * against the run's dev server and mesh-sandbox, with the PDS double and the receiving-practice simulator answering
 * the consultations it sends. Around it: an alert webhook that records what it is sent, the worker's Prometheus
 * endpoint, the peak resident memory of the worker process, and a probe encounter no worker runs, whose answers show
 * when the inbox routed "the next good ack".
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../../../common/payload-codec';
import { buildDataConverter } from '../../../../common/data-converter';
import { buildItk3Response, serialiseFhir } from '../../../../integrations/itk3';
import { createMeshClient, type MeshClient } from '../../../../integrations/mesh/client';
import { startPdsDouble, type PdsDouble } from '../../../../simulators/pds/server';
import {
  startReceivingPractice,
  type ReceivingPractice,
} from '../../../../simulators/receiving-practice/simulator';
import type { SimulatorBehaviour } from '../../../../simulators/receiving-practice/response-policy';
import { writeExampleFederationFile } from '../../../../tooling/example-federation';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../../../../tooling/mesh-sandbox';
import { PROJECT_ROOT } from '../../../../tooling/paths';
import { freePort, startProcess, type ManagedProcess } from '../../../../tooling/processes';
import { buildWorkflowBundle } from '../../../../worker/bundle';
import { ENCOUNTER_WORKFLOW_TYPE } from '../../../../workflows/encounter-messages';
import { encounterWorkflowId } from '../../../../workflows/encounter-identity';
import {
  inboxStatusQuery,
  meshInboxWorkflowId,
  type InboxStatus,
} from '../../../../workflows/mesh-inbox-workflow';
import { REPORT_MESSAGE_IDS } from '../../../../workflows/search-attributes';
import { TEST_KEYRING } from '../../../support/codec';
import { meshTestConfig, testMeshSandbox } from '../../../support/mesh';
import { exampleEndpointDirectory } from '../../../../tooling/example-federation';
import { startMeshRouter } from '../../../../simulators/mesh-router/server';
import { testPdsUrl, testTemporal } from '../../../support/servers';
import { sharedTestArchiveUrl } from '../../../support/databases';
import { terminateRunningInboxPollers } from '../../../support/stray-workflows';

/** The hosting practice's mailbox (Y90001) and the registered practice's (Y90002), as in the example federation. */
export const SENDER = 'X26ABC1';
export const REGISTERED = 'X26ABC2';
export const OTHER_PRACTICE = 'X26ABC3';
const PROBE_QUEUE = 'inbox-probe-no-worker';
const MIB = 1024 * 1024;

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Peak resident memory of a process: the kernel's high-water mark, reset at will, plus sampling as a cross-check. */
export class RssMeter {
  private sampled = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => (this.sampled = Math.max(this.sampled, this.read('VmRSS'))), 50);
  }

  reset(): void {
    fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5'); // 5: reset the peak RSS (VmHWM) to the current RSS
    this.sampled = this.read('VmRSS');
  }

  peakMiB(): number {
    return Math.round(Math.max(this.sampled, this.read('VmHWM')) / MIB);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private read(field: 'VmRSS' | 'VmHWM'): number {
    try {
      const line = fs
        .readFileSync(`/proc/${this.pid}/status`, 'utf8')
        .match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
      return line ? Number(line[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }
}

/** Records every alert the worker POSTs. */
async function startAlertWebhook(): Promise<{
  url: string;
  alerts: Record<string, unknown>[];
  close(): Promise<void>;
}> {
  const alerts: Record<string, unknown>[] = [];
  const server = http.createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      alerts.push(JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    alerts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export interface WorkerExit {
  code: number | null;
  output: string;
}

export class InboxStack {
  readonly alerts: Record<string, unknown>[];
  worker?: ManagedProcess;
  rss?: RssMeter;
  private readonly mesh = new Map<string, MeshClient>();
  private probeSignals = 0;

  private constructor(
    readonly client: Client,
    readonly dir: string,
    private readonly baseEnv: Record<string, string>,
    readonly metricsPort: number,
    private readonly closers: (() => Promise<unknown>)[],
    readonly practice: ReceivingPractice,
    webhook: { alerts: Record<string, unknown>[] },
    readonly probe: { workflowId: string; messageHeaderId: string },
  ) {
    this.alerts = webhook.alerts;
  }

  static async start(
    dir: string,
    recipientMailboxes: string[],
    behaviour: SimulatorBehaviour,
  ): Promise<InboxStack> {
    fs.mkdirSync(dir, { recursive: true });
    const closers: (() => Promise<unknown>)[] = [];
    const { address, namespace } = testTemporal();
    const connection = await Connection.connect({ address });
    closers.push(() => connection.close());
    const client = new Client({ connection, namespace, dataConverter: buildDataConverter(TEST_KEYRING) });
    await terminateRunningInboxPollers(client);
    const pds: PdsDouble = await startPdsDouble();
    closers.push(() => pds.close());
    const sandbox = testMeshSandbox();
    // Reports reach the registered practices' mailboxes through the router, as real MESH routes them.
    const router = await startMeshRouter({ sandboxUrl: sandbox.url, pdsUrl: testPdsUrl(), directory: exampleEndpointDirectory() });
    closers.push(() => router.close());
    const practice = await startReceivingPractice({
      mesh: { url: router.url, sharedKey: sandbox.sharedKey },
      mailboxes: recipientMailboxes,
      replyMailbox: REGISTERED,
      responderOdsCode: 'Y90002',
      pollIntervalMs: 300,
      behaviour,
    });
    closers.push(() => practice.close());
    const webhook = await startAlertWebhook();
    closers.push(() => webhook.close());
    const bundleFile = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(bundleFile, (await buildWorkflowBundle()).code);
    const metricsPort = await freePort();
    const env = {
      FEDREPORT_TEMPORAL_ADDRESS: address,
      FEDREPORT_TEMPORAL_NAMESPACE: namespace,
      FEDREPORT_CODEC_KEYS: `test-key-1:${Buffer.alloc(32, 7).toString('base64')}`,
      FEDREPORT_WORKFLOW_BUNDLE: bundleFile,
      FEDREPORT_DATABASE_URL: sharedTestArchiveUrl(),
      FEDREPORT_LOG_LEVEL: 'info',
      FEDREPORT_FEDERATION_FILE: writeExampleFederationFile(dir, '1s'),
      FEDREPORT_MESH_URL: router.url,
      FEDREPORT_MESH_MAILBOX: SENDER,
      FEDREPORT_MESH_PASSWORD: MESH_SANDBOX_MAILBOX_PASSWORD,
      FEDREPORT_MESH_SHARED_KEY: sandbox.sharedKey,
      FEDREPORT_PDS_BASE_URL: testPdsUrl(),
      FEDREPORT_INBOX_POLL_INTERVAL: '2s',
      FEDREPORT_INBOX_UNMATCHED_GRACE: '1s',
      FEDREPORT_INBOX_QUARANTINE_ALERT_ABOVE: '0', // any quarantined message opens the mailbox's backlog alert
      FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: '1h',
      FEDREPORT_BUSINESS_ACK_WINDOW: '2h',
      FEDREPORT_IDLE_RETENTION: '20s',
      FEDREPORT_QUARANTINE_DIR: path.join(dir, 'quarantine'),
      FEDREPORT_ALERT_WEBHOOK_URL: webhook.url,
      FEDREPORT_METRICS_PORT: String(metricsPort),
    };
    const probe = await startProbe(client);
    closers.push(() =>
      client.workflow
        .getHandle(probe.workflowId)
        .terminate('test finished')
        .catch(() => undefined),
    );
    return new InboxStack(client, dir, env, metricsPort, closers, practice, webhook, probe);
  }

  get quarantineDir(): string {
    return this.baseEnv.FEDREPORT_QUARANTINE_DIR!;
  }

  /** The environment the worker and the CLI run with. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return { ...this.baseEnv, ...overrides };
  }

  /** (Re)starts the worker process with these settings on top; waits until the sender's inbox has been polled. */
  async startWorker(overrides: Record<string, string> = {}): Promise<void> {
    await this.stopWorker();
    const logFile = path.join(this.dir, 'worker.log');
    this.worker = startProcess({
      name: 'fedreport worker',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker', 'main.ts')],
      cwd: PROJECT_ROOT,
      env: this.env(overrides),
      logFile,
    });
    this.rss = new RssMeter(this.worker.child.pid!);
    const child = this.worker.child;
    const started = await this.inboxStatus().catch(() => ({ polls: -1 }));
    await until('the worker polls the sender inbox', async () => {
      if (child.exitCode !== null) return 'exited';
      const status = await this.inboxStatus();
      return status.polls > started.polls ? 'polling' : undefined;
    });
    if (child.exitCode !== null) throw new Error(`worker exited:\n${fs.readFileSync(logFile, 'utf8')}`);
  }

  async stopWorker(): Promise<void> {
    this.rss?.stop();
    await this.worker?.stop(15_000);
    this.worker = undefined;
  }

  /** Runs the worker with these settings to its exit (a refused start). */
  async workerExit(overrides: Record<string, string>, timeoutMs = 60_000): Promise<WorkerExit> {
    const logFile = path.join(this.dir, `worker-refused-${Date.now()}.log`);
    const proc = startProcess({
      name: 'fedreport worker (refused)',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker', 'main.ts')],
      cwd: PROJECT_ROOT,
      env: this.env(overrides),
      logFile,
    });
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      new Promise<number | null>((resolve) => proc.child.once('exit', (c) => resolve(c))),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (code === 'timeout') await proc.stop();
    return { code: code === 'timeout' ? null : code, output: fs.readFileSync(logFile, 'utf8') };
  }

  inboxStatus(mailbox = SENDER): Promise<InboxStatus> {
    return this.client.workflow.getHandle(meshInboxWorkflowId(mailbox)).query(inboxStatusQuery);
  }

  meshOf(mailbox: string): MeshClient {
    const existing = this.mesh.get(mailbox);
    if (existing) return existing;
    const created = createMeshClient(meshTestConfig(mailbox, { readTimeoutMs: 120_000 }));
    this.mesh.set(mailbox, created);
    return created;
  }

  /** Ids in a mailbox's inbox, all workflows: what is still there (unacknowledged). */
  async inbox(mailbox = SENDER): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.meshOf(mailbox).inboxPages()) ids.push(...page);
    return ids;
  }

  /** An ITK3 answer sent over MESH to the sender's mailbox; answers its MESH message id. */
  async sendAnswer(answer: AnswerSpec): Promise<string> {
    const bundle = buildItk3Response({
      original: {
        messageHeaderId: answer.messageHeaderId,
        senderReference: answer.senderReference ?? crypto.randomUUID(),
      },
      responder: { odsCode: answer.responderOds ?? 'Y90002', mailboxId: answer.from ?? REGISTERED },
      code: answer.code ?? '30001',
      respondedAt: new Date(),
    });
    return this.sendData(
      answer.from ?? REGISTERED,
      'GPFED_CONSULT_REPORT_ACK',
      serialiseFhir(bundle, 'xml'),
      answer.localId,
    );
  }

  async sendData(from: string, workflowId: string, body: Buffer | string, localId?: string): Promise<string> {
    const sent = await this.meshOf(from).send({
      to: SENDER,
      workflowId,
      body,
      localId,
      contentType: 'application/fhir+xml',
    });
    return sent.messageId;
  }

  /** Sends a good ack for the probe encounter and answers how long until the inbox signalled it, and in which poll. */
  async probeAck(): Promise<{ ms: number; polls: number }> {
    const before = (await this.inboxStatus()).polls;
    const sentAt = Date.now();
    await this.sendAnswer({ messageHeaderId: this.probe.messageHeaderId });
    const expected = this.probeSignals + 1;
    await until(
      'the probe ack is routed',
      async () => ((await this.signalsTo(this.probe.workflowId)).length >= expected ? true : undefined),
      120_000,
    );
    this.probeSignals = expected;
    return { ms: Date.now() - sentAt, polls: (await this.inboxStatus()).polls - before };
  }

  /** Every signal every run of the workflow received, decoded (name and first argument). */
  async signalsTo(workflowId: string): Promise<{ name: string; arg: Record<string, unknown> }[]> {
    const codec = new AesGcmPayloadCodec(TEST_KEYRING);
    const signals: { name: string; arg: Record<string, unknown> }[] = [];
    for await (const run of this.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const history = await this.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
      for (const event of history.events ?? []) {
        const signaled = event.workflowExecutionSignaledEventAttributes;
        if (!signaled?.signalName) continue;
        const [payload] = await codec.decode(signaled.input?.payloads ?? []);
        signals.push({ name: signaled.signalName, arg: defaultPayloadConverter.fromPayload(payload!) });
      }
    }
    return signals;
  }

  /** A metric's total from the worker's Prometheus endpoint, over all label values. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`)).text();
    const matching = text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
    return matching.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await terminateRunningInboxPollers(this.client).catch(() => undefined);
    await Promise.all([...this.mesh.values()].map((m) => m.close()));
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
  }
}

export interface AnswerSpec {
  messageHeaderId: string;
  senderReference?: string;
  code?: string;
  from?: string;
  responderOds?: string;
  localId?: string;
}

/** An encounter workflow nobody runs, found by a MessageHeader id: its history shows each answer the inbox routes. */
async function startProbe(client: Client): Promise<{ workflowId: string; messageHeaderId: string }> {
  const encounterId = crypto.randomUUID();
  const messageHeaderId = crypto.randomUUID();
  const workflowId = encounterWorkflowId(encounterId);
  await client.workflow.start(ENCOUNTER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: PROBE_QUEUE,
    args: [{ encounterId, hostingPracticeOds: 'Y90001' }],
    typedSearchAttributes: [{ key: REPORT_MESSAGE_IDS, value: [messageHeaderId] }],
  });
  await until('the probe is searchable', async () => {
    for await (const found of client.workflow.list({
      query: `${REPORT_MESSAGE_IDS.name} = '${messageHeaderId}'`,
    }))
      return found;
    return undefined;
  });
  return { workflowId, messageHeaderId };
}
