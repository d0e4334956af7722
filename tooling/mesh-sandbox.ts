import fs from 'node:fs';
import path from 'node:path';
import { ensurePythonEnv } from './python-env';
import { freePort, httpOk, startProcess, waitUntilReady, type ManagedProcess } from './processes';

import {
  MESH_SANDBOX_BUILTIN_MAILBOXES,
  MESH_SANDBOX_DEFAULT_SHARED_KEY,
  MESH_SANDBOX_MAILBOX_PASSWORD,
} from '../simulators/mesh-sandbox-defaults';
import { MESH_ROUTER_HOLDING_MAILBOX } from '../simulators/mesh-router/sandbox-admin';

export { MESH_SANDBOX_BUILTIN_MAILBOXES, MESH_SANDBOX_DEFAULT_SHARED_KEY, MESH_SANDBOX_MAILBOX_PASSWORD };

export interface MeshSandboxOptions {
  /** Loopback port; a free one by default. */
  port?: number;
  /** The file store: one upper-case directory per mailbox, messages under `<MAILBOX>/in/`. */
  dataDir: string;
  /**
   * Mailboxes to create besides the packaged ones and the MESH router's holding mailbox (normalised to upper case, as
   * MESH ids are). Practices' mailboxes, not GPPROVIDER addresses: the router (simulators/mesh-router) resolves those.
   */
  mailboxes: string[];
  /** The HMAC shared key; `TestKey` by default. */
  sharedKey?: string;
  /** Server output is appended here. */
  logFile: string;
  /** Keep messages a previous run left in `dataDir` (default: start with empty inboxes). */
  keepMessages?: boolean;
}

export interface MeshSandbox {
  /** Base URL, e.g. http://127.0.0.1:41234 (plain HTTP: mesh-sandbox needs no client certificate). */
  url: string;
  sharedKey: string;
  /** The file store directory (absolute). */
  dataDir: string;
  process: ManagedProcess;
  /** Empties one mailbox's inbox and outbox, or every mailbox: in memory and on disk. */
  reset(mailbox?: string): Promise<void>;
  /** Creates a mailbox (password `password`) while the server runs: a directory plus a full reset, no restart. */
  addMailbox(id: string): Promise<void>;
}

/**
 * Runs NHS England's mesh-sandbox (the pinned PyPI release) from the project virtualenv under uvicorn on 127.0.0.1,
 * with full HMAC authentication (any AUTH_MODE other than `none`/`canned` checks the token against SHARED_KEY and the
 * mailbox password) and the file store.
 *
 * How mesh-sandbox 1.0.137 behaves in STORE_MODE=file, read from its source (store/canned_store.py, file_store.py,
 * memory_store.py, handlers/admin.py), which this launcher is built around:
 * - mailboxes are the packaged ones plus every upper-case directory under MAILBOXES_DATA_DIR, scanned at start-up and
 *   again on every full reset (a lower-case directory name aborts the scan with an error);
 * - each message is written to `<dataDir>/<RECIPIENT>/in/<id>.json` (+ `<id>/<chunk>` files) and a full reset
 *   (`DELETE /admin/reset`) *reloads* the store from those files: it does not clear them. So an honest reset deletes the
 *   files first, and a mailbox added at runtime needs only its directory plus a full reset, no restart; since every
 *   state change (send, chunk, acknowledge) is written to disk first, that reload keeps the other mailboxes' messages.
 */
export async function startMeshSandbox(options: MeshSandboxOptions): Promise<MeshSandbox> {
  const { python } = await ensurePythonEnv();
  const sharedKey = options.sharedKey ?? MESH_SANDBOX_DEFAULT_SHARED_KEY;
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(path.resolve(options.logFile)), { recursive: true });
  if (!options.keepMessages) forEachMailboxDir(dataDir, clearMessages);
  for (const id of [...MESH_SANDBOX_BUILTIN_MAILBOXES, MESH_ROUTER_HOLDING_MAILBOX, ...options.mailboxes]) {
    fs.mkdirSync(path.join(dataDir, normaliseMailboxId(id)), { recursive: true });
  }

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const server = startProcess({
    name: 'mesh-sandbox',
    command: python,
    args: [
      '-m',
      'uvicorn',
      'mesh_sandbox.api:app',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      '1',
      '--no-access-log',
    ],
    env: {
      AUTH_MODE: 'full',
      STORE_MODE: 'file',
      MAILBOXES_DATA_DIR: dataDir,
      SHARED_KEY: sharedKey,
      ENV: 'fedreport-local',
      PYTHONUNBUFFERED: '1',
    },
    logFile: options.logFile,
  });
  await waitUntilReady(server, () => httpOk(`${url}/health`), 60_000, options.logFile);

  const target: MeshSandboxLocation = { url, dataDir };
  return {
    url,
    sharedKey,
    dataDir,
    process: server,
    reset: (mailbox) => resetMeshSandbox(target, mailbox),
    addMailbox: (id) => addMeshSandboxMailbox(target, id),
  };
}

/** Where a running sandbox is: enough for another process (a jest worker) to reset it or add mailboxes. */
export interface MeshSandboxLocation {
  url: string;
  dataDir: string;
}

/** Empties one mailbox (inbox, outbox, local ids) or all of them: files first, since a full reset reloads them. */
export async function resetMeshSandbox(sandbox: MeshSandboxLocation, mailbox?: string): Promise<void> {
  if (mailbox === undefined) {
    forEachMailboxDir(sandbox.dataDir, clearMessages);
    await adminDelete(sandbox.url, '/admin/reset');
    return;
  }
  const id = normaliseMailboxId(mailbox);
  clearMessages(path.join(sandbox.dataDir, id));
  await adminDelete(sandbox.url, `/admin/reset/${encodeURIComponent(id)}`);
}

/** A new mailbox needs its directory and a full reset, which rescans directories and reloads messages from their files. */
export async function addMeshSandboxMailbox(sandbox: MeshSandboxLocation, id: string): Promise<void> {
  fs.mkdirSync(path.join(sandbox.dataDir, normaliseMailboxId(id)), { recursive: true });
  await adminDelete(sandbox.url, '/admin/reset');
}

async function adminDelete(url: string, route: string): Promise<void> {
  const response = await deleteOnFreshSocket(`${url}${route}`);
  const body = await response.text();
  if (!response.ok)
    throw new Error(`mesh-sandbox DELETE ${route} answered ${response.status}: ${body.slice(0, 200)}`);
}

/**
 * The sandbox closes idle keep-alive sockets after a few seconds; a request racing that close fails with "other side
 * closed" before the sandbox saw it. The reset is idempotent, so a network failure is tried again, a few times.
 */
async function deleteOnFreshSocket(url: string): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      const networkFailure = error instanceof TypeError;
      if (!networkFailure || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** MESH mailbox ids are upper case; the sandbox uses them as directory names, so nothing path-like may pass. */
function normaliseMailboxId(id: string): string {
  const upper = id.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9_'-]{0,99}$/.test(upper)) {
    throw new Error(
      `mesh-sandbox mailbox id ${JSON.stringify(id)} is invalid: use 1–100 letters, digits, '_', '-' or "'"`,
    );
  }
  return upper;
}

function forEachMailboxDir(dataDir: string, action: (mailboxDir: string) => void): void {
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isDirectory()) action(path.join(dataDir, entry.name));
  }
}

/** A mailbox's received messages (and their chunk files) live in its `in` folder. */
function clearMessages(mailboxDir: string): void {
  fs.rmSync(path.join(mailboxDir, 'in'), { recursive: true, force: true });
}
