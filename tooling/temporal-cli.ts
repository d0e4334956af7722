import fs from 'node:fs';
import path from 'node:path';
import { goInstall } from './go-install';
import { cacheRoot } from './paths';
import { TOOL_VERSIONS } from './versions';

const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCliPath(): string {
  return path.join(cacheRoot(), `temporal-cli-${TOOL_VERSIONS.temporalCli}`, 'temporal');
}

/** Builds the Temporal CLI (dev server + Web UI) from the Go module proxy once per version; reuses it afterwards. */
export async function ensureTemporalCli(): Promise<string> {
  const binary = temporalCliPath();
  if (fs.existsSync(binary)) return binary;
  const version = TOOL_VERSIONS.temporalCli;
  await goInstall({
    title: `Temporal CLI v${version}`,
    packages: [`${MODULE}@v${version}`],
    targetDir: path.dirname(binary),
    ldflags: `-s -w -X github.com/temporalio/cli/temporalcli.Version=${version}`,
  });
  return binary;
}
