import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_TOOLS_DIR } from './paths';
import { MissingToolchainError, requireCommand } from './processes';
import { startProgress, type Progress } from './progress';
import { TOOL_VERSIONS } from './versions';

/** The project-local virtualenv holding mesh-sandbox and mesh-client (git-ignored with the rest of .tools). */
export const PYTHON_VENV_DIR = path.join(PROJECT_TOOLS_DIR, 'venv');

export interface PythonEnv {
  /** The virtualenv's interpreter: run modules with `python -m ...` so no shebang path matters. */
  python: string;
  /** The virtualenv's bin directory (prepend to PATH to reach its console scripts). */
  bin: string;
}

const REQUIREMENTS_FILE = path.join(__dirname, 'python-requirements.txt');
/** Written last, after a successful install: its content is the hash of the requirement set that was installed. */
const MARKER_FILE = path.join(PYTHON_VENV_DIR, '.fedreport-requirements');
const LOCK_DIR = path.join(PROJECT_TOOLS_DIR, 'venv.lock');
/** A lock older than this is abandoned whatever its pid says; a real install takes about a minute. */
const STALE_LOCK_MS = 15 * 60_000;
/** mesh-sandbox 1.0.137 declares Requires-Python >=3.11,<3.14. */
const SUPPORTED_PYTHON = { min: [3, 11], below: [3, 14] } as const;

/** Thrown when python3 exists but cannot make virtualenvs (Debian ships venv/ensurepip separately). */
export class MissingPythonVenvError extends MissingToolchainError {
  constructor() {
    super('python3-venv', '');
    this.message =
      'python3 cannot create virtualenvs: its venv/ensurepip modules are missing. On Debian/Ubuntu install the package python3-venv (apt-get install python3-venv).';
    this.name = 'MissingPythonVenvError';
  }
}

/**
 * Creates (once) the project-local virtualenv with the pinned mesh-sandbox and mesh-client and returns its paths.
 * Idempotent and cheap when up to date: the marker file records the hash of the installed requirement set, so a
 * version bump in python-requirements.txt (kept equal to TOOL_VERSIONS) rebuilds the virtualenv from scratch.
 * Concurrent callers (bootstrap and a test run) serialise on a lock directory.
 */
export async function ensurePythonEnv(): Promise<PythonEnv> {
  const requirements = readPinnedRequirements();
  const wanted = crypto.createHash('sha256').update(requirements).digest('hex');
  const env: PythonEnv = {
    python: path.join(PYTHON_VENV_DIR, 'bin', 'python'),
    bin: path.join(PYTHON_VENV_DIR, 'bin'),
  };
  if (isInstalled(env, wanted)) return env;

  requireCommand(
    'python3',
    'Install Python 3.11–3.13 (Debian/Ubuntu: apt-get install python3 python3-venv).',
  );
  await assertUsablePython();
  return withInstallLock(async () => {
    if (isInstalled(env, wanted)) return env; // another process finished while we waited
    const progress = startProgress(
      `Python tools (mesh-sandbox ${TOOL_VERSIONS.meshSandbox}, mesh-client ${TOOL_VERSIONS.meshClient})`,
    );
    try {
      fs.rmSync(PYTHON_VENV_DIR, { recursive: true, force: true });
      progress.update('creating virtualenv');
      await run('python3', ['-m', 'venv', PYTHON_VENV_DIR], progress);
      progress.update('pip install');
      await run(
        env.python,
        [
          '-m',
          'pip',
          'install',
          '--disable-pip-version-check',
          '--no-input',
          '--require-virtualenv',
          '-r',
          REQUIREMENTS_FILE,
        ],
        progress,
      );
      fs.writeFileSync(MARKER_FILE, `${wanted}\n`);
      progress.done(`ready in ${path.relative(process.cwd(), PYTHON_VENV_DIR) || PYTHON_VENV_DIR}`);
      return env;
    } catch (error) {
      progress.fail(error instanceof Error ? (error.message.split('\n')[0] ?? 'failed') : 'failed');
      throw error;
    }
  });
}

/** The requirement file, checked against TOOL_VERSIONS so the two can never drift apart silently. */
function readPinnedRequirements(): string {
  const text = fs.readFileSync(REQUIREMENTS_FILE, 'utf8');
  const pins = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z0-9._-]+)\s*==\s*([^\s#]+)/.exec(line);
    if (match?.[1] && match[2]) pins.set(match[1].toLowerCase().replace(/_/g, '-'), match[2]);
  }
  const expected: Record<string, string> = {
    'mesh-sandbox': TOOL_VERSIONS.meshSandbox,
    'mesh-client': TOOL_VERSIONS.meshClient,
  };
  for (const [name, version] of Object.entries(expected)) {
    if (pins.get(name) !== version) {
      throw new Error(
        `tooling/python-requirements.txt pins ${name}==${pins.get(name) ?? '(nothing)'} but tooling/versions.ts says ${version}: make them agree.`,
      );
    }
  }
  return text;
}

function isInstalled(env: PythonEnv, wanted: string): boolean {
  try {
    // existsSync follows the venv's python symlink, so a removed base interpreter also counts as "not installed".
    return fs.readFileSync(MARKER_FILE, 'utf8').trim() === wanted && fs.existsSync(env.python);
  } catch {
    return false;
  }
}

async function assertUsablePython(): Promise<void> {
  const probe = await capture('python3', [
    '-c',
    'import sys; print("%d.%d" % sys.version_info[:2])\ntry:\n import venv, ensurepip\nexcept ImportError:\n print("no-venv")',
  ]);
  const [version = '', venvState] = probe.stdout.trim().split('\n');
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const atLeast = (v: readonly number[]): boolean =>
    major > (v[0] ?? 0) || (major === v[0] && minor >= (v[1] ?? 0));
  if (!atLeast(SUPPORTED_PYTHON.min) || atLeast(SUPPORTED_PYTHON.below)) {
    throw new MissingToolchainError(
      'python3 (3.11–3.13)',
      `Found Python ${version || 'of unknown version'}; mesh-sandbox ${TOOL_VERSIONS.meshSandbox} needs >=3.11,<3.14.`,
    );
  }
  if (venvState === 'no-venv') throw new MissingPythonVenvError();
}

async function withInstallLock<T>(work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(PROJECT_TOOLS_DIR, { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isAbandoned(LOCK_DIR)) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** A lock whose owner process is gone (killed mid-install), or that is older than any real install. */
function isAbandoned(lockDir: string): boolean {
  const lock = fs.statSync(lockDir, { throwIfNoEntry: false });
  if (!lock) return false; // released meanwhile: just try again
  if (Date.now() - lock.mtimeMs > STALE_LOCK_MS) return true;
  const owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), { encoding: 'utf8', flag: 'a+' }));
  if (!Number.isInteger(owner) || owner <= 0) return Date.now() - lock.mtimeMs > 5_000; // owner still writing its pid
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

interface Captured {
  stdout: string;
  output: string;
}

/** Runs a command to completion, feeding pip's "Collecting ..." lines to the progress display. */
function run(command: string, args: string[], progress: Progress): Promise<Captured> {
  return capture(command, args, (line) => {
    const step = /^(Collecting|Downloading|Installing collected packages|Building wheel)\b.*/.exec(
      line.trim(),
    );
    if (step) progress.update(step[0].slice(0, 80));
  });
}

function capture(command: string, args: string[], onLine?: (line: string) => void): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    const collect = (isStdout: boolean) => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (isStdout) stdout += text;
      output += text;
      if (onLine) text.split('\n').forEach(onLine);
    };
    child.stdout.on('data', collect(true));
    child.stderr.on('data', collect(false));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, output });
      else {
        if (/ensurepip is not available|No module named venv/.test(output))
          reject(new MissingPythonVenvError());
        else
          reject(
            new Error(
              `${path.basename(command)} ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${output.split('\n').slice(-25).join('\n')}`,
            ),
          );
      }
    });
  });
}
