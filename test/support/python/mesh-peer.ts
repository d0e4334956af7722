import { spawn } from 'node:child_process';
import path from 'node:path';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../../../tooling/mesh-sandbox';
import { ensurePythonEnv } from '../../../tooling/python-env';
import { testMeshSandbox } from '../mesh';

/** A mailbox as the Python mesh-client needs it. */
export interface PythonMeshClientSpec {
  url: string;
  mailbox: string;
  password: string;
  shared_key: string;
}

/** mesh-client's settings for a mailbox of the run's mesh-sandbox. */
export function sandboxMeshClient(mailbox: string): PythonMeshClientSpec {
  const sandbox = testMeshSandbox();
  return { url: sandbox.url, mailbox, password: MESH_SANDBOX_MAILBOX_PASSWORD, shared_key: sandbox.sharedKey };
}

export interface PythonSendRequest {
  op: 'send';
  client: PythonMeshClientSpec;
  recipient: string;
  body_b64: string;
  workflow_id: string;
  subject?: string;
  local_id?: string;
  filename?: string;
  content_type?: string;
  compress?: boolean;
  max_chunk_size?: number;
}

export interface PythonReceiveRequest {
  op: 'receive';
  client: PythonMeshClientSpec;
  message_id: string;
  acknowledge?: boolean;
}

/** Reads every message waiting in the mailbox. */
export interface PythonInboxRequest {
  op: 'inbox';
  client: PythonMeshClientSpec;
  acknowledge?: boolean;
}

export interface PythonBenchRequest {
  op: 'bench';
  sender: PythonMeshClientSpec;
  receiver: PythonMeshClientSpec;
  count: number;
  size: number;
  workflow_id: string;
  /** False: the receiver asks for identity-encoded downloads instead of mesh-client's usual gzip. */
  accept_gzip: boolean;
}

export interface PythonReceivedMessage {
  message_type: string;
  headers: Record<string, string>;
  body_b64: string;
}

interface Results {
  send: { message_id: string };
  receive: PythonReceivedMessage;
  inbox: { messages: (PythonReceivedMessage & { message_id: string })[] };
  bench: { send_seconds: number; receive_seconds: number; cpu_seconds: number };
}

const SCRIPT = path.join(__dirname, 'mesh_peer.py');

/** Runs one operation of NHS England's Python mesh-client (test/support/python/mesh_peer.py) and returns its result. */
export async function runPythonMeshPeer<
  R extends PythonSendRequest | PythonReceiveRequest | PythonInboxRequest | PythonBenchRequest,
>(request: R): Promise<Results[R['op']]> {
  const { python } = await ensurePythonEnv();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as Results[R['op']]);
      else
        reject(
          new Error(
            `mesh_peer.py ${request.op} exited with ${code}:\n${stderr.split('\n').slice(-15).join('\n')}`,
          ),
        );
    });
    child.stdin.end(JSON.stringify(request));
  });
}
