import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { startProgress } from './progress';
import { requireCommand } from './processes';

export interface GoInstallOptions {
  /** What the progress line names, e.g. `Temporal server v1.29.1`. */
  title: string;
  /** `module/path/cmd/x@vX.Y.Z` arguments of one `go install`. */
  packages: string[];
  /** The cache entry: filled in a staging folder, then published whole. */
  targetDir: string;
  ldflags?: string;
  /** Copies other files (e.g. schemas from the module) into the staging folder before it is published. */
  addFiles?: (stagingDir: string) => void;
}

const GO_HINT = 'Install Go 1.25 or newer (the Temporal binaries are built from the Go module proxy).';

/**
 * Builds Go commands from the module proxy into a versioned cache folder, with progress (a cold build takes minutes).
 * Pure Go (CGO off): no C toolchain is needed. Publishes atomically so an interrupted build leaves nothing half-written.
 */
export async function goInstall(options: GoInstallOptions): Promise<void> {
  requireCommand('go', GO_HINT);
  const progress = startProgress(`building ${options.title} with go install (cold build: a few minutes)`);
  const staging = `${options.targetDir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  let downloaded = 0;
  const child = spawn(
    'go',
    ['install', '-trimpath', '-ldflags', options.ldflags ?? '-s -w', ...options.packages],
    {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: staging },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const errors: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.startsWith('go: downloading'))
      progress.update(`${++downloaded} modules downloaded, then compiling`);
    else errors.push(line);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    progress.fail(`go install exited with ${code}`);
    throw new Error(`building ${options.title} failed:\n${errors.slice(-20).join('\n')}`);
  }
  options.addFiles?.(staging);
  fs.rmSync(options.targetDir, { recursive: true, force: true });
  fs.renameSync(staging, options.targetDir);
  progress.done(options.targetDir);
}

/** The folder of `module@version` in the Go module cache, downloading it when missing. */
export function goModuleDir(moduleAtVersion: string): string {
  const result = spawnSync('go', ['mod', 'download', '-json', moduleAtVersion], {
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  const dir = result.status === 0 ? (JSON.parse(result.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new Error(`go mod download ${moduleAtVersion} failed: ${result.stderr || result.stdout}`);
  return path.resolve(dir);
}
