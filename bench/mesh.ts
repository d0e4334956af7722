/**
 * MESH client throughput: N messages of 20 KB sent and received (list, download, acknowledge) through one local
 * mesh-sandbox, by fedreport's client and by NHS England's official Python mesh-client in the same run.
 * `npm run bench -- mesh [--quick]`.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createMeshClient, type MeshClient } from '../integrations/mesh/client';
import { parseMeshConfig } from '../integrations/mesh/config';
import { startMeshSandbox, MESH_SANDBOX_MAILBOX_PASSWORD, type MeshSandbox } from '../tooling/mesh-sandbox';
import { PROJECT_TOOLS_DIR } from '../tooling/paths';
import { runPythonMeshPeer } from '../test/support/python/mesh-peer';

const MESSAGE_SIZE = 20 * 1024;
const SENDER = 'X26ABC1';
const RECEIVER = 'X26ABC2';
const WORKFLOW = 'GPFED_CONSULT_REPORT';
/** Requests fedreport keeps in flight: a worker runs many activities at once over one keep-alive pool. */
const CONCURRENCY = 8;
const PYTHON = 'Python mesh-client';
const SEQUENTIAL = 'fedreport, 1 request in flight';
const CONCURRENT = `fedreport, ${CONCURRENCY} requests in flight`;

export interface MeshBenchRun {
  client: string;
  sendSeconds: number;
  receiveSeconds: number;
  /** Messages sent and received per second over the whole run. */
  messagesPerSecond: number;
  /** CPU time the client process spent per message (send + receive): its own cost, whatever the server's speed. */
  clientCpuMsPerMessage: number;
}

/** One wire setting, measured for every client: best of the rounds (the machine is shared, so the best is the least disturbed). */
export interface MeshBenchMode {
  /** Whether both clients ask for gzip-encoded downloads (each client's default) or identity ones. */
  acceptGzip: boolean;
  runs: MeshBenchRun[];
  /** fedreport (concurrent, as the worker uses it) ÷ Python mesh-client; the target is ≥ 1.5. */
  ratio: number;
  /** fedreport one request at a time, like the Python client, ÷ Python mesh-client. */
  sequentialRatio: number;
}

export interface MeshBenchResult {
  messages: number;
  messageBytes: number;
  rounds: number;
  modes: MeshBenchMode[];
  /** 1-minute load average before and after: the machine is shared, so say how busy it was. */
  loadAverage: { before: number; after: number };
}

export async function runMeshBench(opts: { quick: boolean }): Promise<MeshBenchResult> {
  const messages = opts.quick ? 100 : 1_000;
  const rounds = opts.quick ? 2 : 3;
  const loadBefore = os.loadavg()[0]!;
  const workDir = path.join(PROJECT_TOOLS_DIR, 'bench', 'mesh');
  const sandbox = await startMeshSandbox({
    dataDir: path.join(workDir, 'data'),
    mailboxes: [],
    logFile: path.join(workDir, 'mesh-sandbox.log'),
  });
  try {
    // Warm up both stacks (connections, imports, the sandbox's first requests) outside the measurement.
    await measureFedreport(sandbox, 50, CONCURRENCY, true, 'warm-up');
    await measurePython(sandbox, 10, true);
    const modes: MeshBenchMode[] = [];
    for (const acceptGzip of [true, false]) {
      const best = new Map<string, MeshBenchRun>();
      const measurements: (() => Promise<MeshBenchRun>)[] = [
        () => measurePython(sandbox, messages, acceptGzip),
        () => measureFedreport(sandbox, messages, 1, acceptGzip, SEQUENTIAL),
        () => measureFedreport(sandbox, messages, CONCURRENCY, acceptGzip, CONCURRENT),
      ];
      for (let round = 0; round < rounds; round += 1) {
        // Alternate the order so that neither client always runs on a fresher or a more worn-in sandbox; keep the
        // best of the rounds so a burst of load elsewhere on the shared machine does not decide the result.
        for (const measure of round % 2 === 0 ? measurements : [...measurements].reverse()) {
          const measured = await measure();
          const previous = best.get(measured.client);
          if (!previous || measured.messagesPerSecond > previous.messagesPerSecond)
            best.set(measured.client, measured);
        }
      }
      const [python, sequential, concurrent] = [PYTHON, SEQUENTIAL, CONCURRENT].map((client) =>
        best.get(client)!,
      ) as [MeshBenchRun, MeshBenchRun, MeshBenchRun];
      modes.push({
        acceptGzip,
        runs: [python, sequential, concurrent],
        ratio: concurrent.messagesPerSecond / python.messagesPerSecond,
        sequentialRatio: sequential.messagesPerSecond / python.messagesPerSecond,
      });
    }
    const result: MeshBenchResult = {
      messages,
      messageBytes: MESSAGE_SIZE,
      rounds,
      modes,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    };
    printResult(result);
    return result;
  } finally {
    await sandbox.process.stop();
  }
}

async function measureFedreport(
  sandbox: MeshSandbox,
  messages: number,
  concurrency: number,
  acceptGzip: boolean,
  label: string,
): Promise<MeshBenchRun> {
  await sandbox.reset();
  const config = (mailbox: string) =>
    parseMeshConfig({
      url: sandbox.url,
      mailbox,
      password: MESH_SANDBOX_MAILBOX_PASSWORD,
      sharedKey: sandbox.sharedKey,
      acceptGzip,
    });
  const sender = createMeshClient(config(SENDER));
  const receiver = createMeshClient(config(RECEIVER));
  const body = crypto.randomBytes(MESSAGE_SIZE);
  try {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    await inParallel(messages, concurrency, (index) =>
      sender.send({ to: RECEIVER, workflowId: WORKFLOW, body, localId: `bench-${index}` }),
    );
    const sent = performance.now();
    const received = await receiveAll(receiver, concurrency);
    const done = performance.now();
    const cpu = process.cpuUsage(cpuStarted);
    if (received !== messages) throw new Error(`${label}: received ${received} of ${messages} messages`);
    return run(label, messages, (sent - started) / 1000, (done - sent) / 1000, (cpu.user + cpu.system) / 1e6);
  } finally {
    await Promise.all([sender.close(), receiver.close()]);
  }
}

/** The inbox cycle the worker runs: list a page, download and acknowledge each message, repeat until drained. */
async function receiveAll(receiver: MeshClient, concurrency: number): Promise<number> {
  let received = 0;
  for await (const page of receiver.inboxPages()) {
    await inParallel(page.length, concurrency, async (index) => {
      const message = await receiver.download(page[index]!);
      if (message.body.length !== MESSAGE_SIZE)
        throw new Error(`message ${message.messageId} arrived with ${message.body.length} bytes`);
      await receiver.acknowledge(message.messageId);
      received += 1;
    });
  }
  return received;
}

async function measurePython(
  sandbox: MeshSandbox,
  messages: number,
  acceptGzip: boolean,
): Promise<MeshBenchRun> {
  await sandbox.reset();
  const spec = (mailbox: string) => ({
    url: sandbox.url,
    mailbox,
    password: MESH_SANDBOX_MAILBOX_PASSWORD,
    shared_key: sandbox.sharedKey,
  });
  const timing = await runPythonMeshPeer({
    op: 'bench',
    sender: spec(SENDER),
    receiver: spec(RECEIVER),
    count: messages,
    size: MESSAGE_SIZE,
    workflow_id: WORKFLOW,
    accept_gzip: acceptGzip,
  });
  return run(PYTHON, messages, timing.send_seconds, timing.receive_seconds, timing.cpu_seconds);
}

function run(
  client: string,
  messages: number,
  sendSeconds: number,
  receiveSeconds: number,
  cpuSeconds: number,
): MeshBenchRun {
  return {
    client,
    sendSeconds,
    receiveSeconds,
    messagesPerSecond: messages / (sendSeconds + receiveSeconds),
    clientCpuMsPerMessage: (cpuSeconds * 1000) / messages,
  };
}

async function inParallel(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function printResult(result: MeshBenchResult): void {
  console.log(
    `MESH bench: ${result.messages} messages × ${result.messageBytes / 1024} KB sent and received through mesh-sandbox (best of ${result.rounds} rounds)`,
  );
  console.log(
    `  machine: ${os.cpus().length} cores, load average ${result.loadAverage.before.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after`,
  );
  for (const mode of result.modes) {
    console.log(
      `  downloads ${mode.acceptGzip ? "gzip-encoded (both clients' default)" : 'identity-encoded (both clients switched)'}:`,
    );
    for (const r of mode.runs) {
      console.log(
        `    ${r.client.padEnd(34)} ${r.messagesPerSecond.toFixed(1).padStart(7)} messages/s  (send ${r.sendSeconds.toFixed(2)} s, receive ${r.receiveSeconds.toFixed(2)} s; client CPU ${r.clientCpuMsPerMessage.toFixed(2)} ms/message)`,
      );
    }
    console.log(
      `    ratio fedreport ÷ Python: ${mode.ratio.toFixed(2)} (target ≥ 1.5); one request in flight: ${mode.sequentialRatio.toFixed(2)}`,
    );
  }
}
