/**
 * The example federation (examples/federation.yaml) written out with a short quiet period: what the local stack,
 * the end-to-end tests, the chaos scenarios and the benchmarks run against, so they all share one definition. Its
 * practices' mailboxes are also the local MESH router's endpoint directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseFederationSettings } from '../integrations/federation/loader';
import type { FederationSettings } from '../integrations/federation/settings';
import {
  createEndpointDirectory,
  endpointDirectoryFromFederation,
  type EndpointDirectory,
} from '../simulators/mesh-router/endpoint-directory';
import { PROJECT_ROOT } from './paths';

const EXAMPLE_FEDERATION_FILE = path.join(PROJECT_ROOT, 'examples', 'federation.yaml');

interface FederationFileShape {
  federations: Record<string, { practices: Record<string, Record<string, unknown>> }>;
}

/**
 * Writes `<dir>/federation.yaml` with every practice's quiet period set to `quietPeriod` (e.g. `2s`) and `practice`
 * settings added to each practice; returns the path.
 */
export function writeExampleFederationFile(
  dir: string,
  quietPeriod: string,
  practice: Record<string, unknown> = {},
): string {
  const settings = YAML.parse(fs.readFileSync(EXAMPLE_FEDERATION_FILE, 'utf8')) as FederationFileShape;
  for (const federation of Object.values(settings.federations)) {
    for (const [ods, each] of Object.entries(federation.practices)) {
      federation.practices[ods] = { ...each, ...practice, quietPeriod };
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'federation.yaml');
  fs.writeFileSync(
    file,
    `# Generated from examples/federation.yaml with a quiet period of ${quietPeriod}.\n${YAML.stringify(settings)}`,
  );
  return file;
}

export function exampleFederationSettings(): FederationSettings {
  return parseFederationSettings(fs.readFileSync(EXAMPLE_FEDERATION_FILE, 'utf8'), EXAMPLE_FEDERATION_FILE);
}

/** Every practice mailbox of the example federation: the MESH mailboxes a local sandbox must have. */
export function exampleFederationMailboxes(): string[] {
  return Object.values(exampleFederationSettings().practices).map((p) => p.meshMailbox);
}

/** Each practice's mailbox for the GP Connect workflows: where the MESH router delivers GPPROVIDER sends. */
export function exampleEndpointDirectory(): EndpointDirectory {
  return createEndpointDirectory(
    endpointDirectoryFromFederation(exampleFederationSettings()),
    EXAMPLE_FEDERATION_FILE,
  );
}

/**
 * The practices the receiving-practice simulator stands in for: every one but the hosting practice, by mailbox,
 * with the ODS code each answers as.
 */
export function exampleReceivingPractices(hostingOdsCode: string): Record<string, string> {
  const practices = Object.values(exampleFederationSettings().practices).filter(
    (p) => p.odsCode !== hostingOdsCode,
  );
  return Object.fromEntries(practices.map((p) => [p.meshMailbox, p.odsCode]));
}

/**
 * The practice settings of the local stack (and the tests that run it): its practices file what they receive at once
 * ("acknowledge on receipt"), so a report sent locally comes back acknowledged without a clinical system.
 */
export const LOCAL_RECEIVING: Record<string, unknown> = { receiving: { acknowledge: 'on-receipt' } };
