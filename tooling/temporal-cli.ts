import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { cacheRoot } from './paths';
import { startProgress } from './progress';
import { requireCommand } from './processes';
import { TOOL_VERSIONS } from './versions';

const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCliPath(): string {
  return path.join(cacheRoot(), `temporal-cli-${TOOL_VERSIONS.temporalCli}`, 'temporal');
}

/**
 * Builds the Temporal CLI (dev server + Web UI) from the Go module proxy once per version; reuses it afterwards.
 * Pure Go (CGO off): the SQLite driver is Go too, so no C toolchain is needed.
 */
export async function ensureTemporalCli(): Promise<string> {
  const binary = temporalCliPath();
  if (fs.existsSync(binary)) return binary;
  requireCommand('go', 'Install Go 1.25 or newer (the Temporal CLI is built from the Go module proxy).');
  const version = TOOL_VERSIONS.temporalCli;
  const progress = startProgress(`building Temporal CLI v${version} with go install (cold build: a few minutes)`);
  const staging = `${path.dirname(binary)}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  let downloaded = 0;
  const child = spawn(
    'go',
    [
      'install',
      '-trimpath',
      '-ldflags',
      `-s -w -X github.com/temporalio/cli/temporalcli.Version=${version}`,
      `${MODULE}@v${version}`,
    ],
    { env: { ...process.env, CGO_ENABLED: '0', GOBIN: staging }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const errors: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.startsWith('go: downloading')) progress.update(`${++downloaded} modules downloaded, then compiling`);
    else errors.push(line);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    progress.fail(`go install exited with ${code}`);
    throw new Error(`building the Temporal CLI failed:\n${errors.slice(-20).join('\n')}`);
  }
  // Publish atomically so an interrupted build never leaves a half-written binary in the cache.
  fs.rmSync(path.dirname(binary), { recursive: true, force: true });
  fs.renameSync(staging, path.dirname(binary));
  progress.done(`${binary}`);
  return binary;
}
