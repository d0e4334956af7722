/**
 * The example federation (examples/federation.yaml) written out with a short quiet period: what the local stack,
 * the end-to-end tests, the chaos scenarios and the benchmarks run against, so they all share one definition.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PROJECT_ROOT } from './paths';

interface FederationFileShape {
  federations: Record<string, { practices: Record<string, { quietPeriod?: string }> }>;
}

/** Writes `<dir>/federation.yaml` with every practice's quiet period set to `quietPeriod` (e.g. `2s`); returns the path. */
export function writeExampleFederationFile(dir: string, quietPeriod: string): string {
  const settings = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'federation.yaml'), 'utf8')) as FederationFileShape;
  for (const federation of Object.values(settings.federations)) {
    for (const practice of Object.values(federation.practices)) practice.quietPeriod = quietPeriod;
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'federation.yaml');
  fs.writeFileSync(file, `# Generated from examples/federation.yaml with a quiet period of ${quietPeriod}.\n${YAML.stringify(settings)}`);
  return file;
}

/** Every practice mailbox of the example federation: the MESH mailboxes a local sandbox must have. */
export function exampleFederationMailboxes(): string[] {
  const settings = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'federation.yaml'), 'utf8')) as {
    federations: Record<string, { practices: Record<string, { meshMailbox: string }> }>;
  };
  return Object.values(settings.federations).flatMap((f) => Object.values(f.practices).map((p) => p.meshMailbox));
}
