/**
 * Installs or builds every external tool fedreport runs (idempotent, cached by version, progress shown).
 * `npm test` and `npm start` call it first; warm runs take well under a second.
 */
import { ensureFhirValidator } from './fhir-validator';
import { MissingToolchainError } from './processes';
import { ensurePythonEnv } from './python-env';
import { ensureTestSystemPackages } from './system-packages';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTestServer } from './temporal-test-server';
import { ensureTemporalServer } from './temporal-server';
import { ensureTemporalUiServer } from './temporal-ui-server';

export interface BootstrapStep {
  name: string;
  run: () => Promise<unknown>;
}

export const BOOTSTRAP_STEPS: BootstrapStep[] = [
  { name: 'Temporal CLI (dev server + Web UI)', run: ensureTemporalCli },
  { name: 'Temporal time-skipping test server', run: ensureTestServer },
  { name: 'mesh-sandbox and mesh-client (Python virtualenv)', run: ensurePythonEnv },
  { name: 'HAPI FHIR STU3 validator', run: ensureFhirValidator },
];

/** `npm run cluster`: the production Temporal server, its SQL tool and its Web UI server besides. */
export const CLUSTER_BOOTSTRAP_STEPS: BootstrapStep[] = [
  ...BOOTSTRAP_STEPS,
  { name: 'Temporal server and SQL tool', run: ensureTemporalServer },
  { name: 'Temporal Web UI server', run: ensureTemporalUiServer },
];

/** `npm test` also needs these; `npm start` does not. */
export const TEST_BOOTSTRAP_STEPS: BootstrapStep[] = [
  ...BOOTSTRAP_STEPS,
  { name: 'Debian packages for the tests (poppler-utils, chromium, postgresql)', run: () => Promise.resolve().then(ensureTestSystemPackages) },
  // The cluster failover test runs the production server on PostgreSQL: built here so the test itself stays fast.
  { name: 'Temporal server and SQL tool (cluster tests)', run: ensureTemporalServer },
];

export async function bootstrap(steps: BootstrapStep[] = BOOTSTRAP_STEPS): Promise<void> {
  const started = Date.now();
  for (const step of steps) await step.run();
  process.stderr.write(`bootstrap: ${steps.length} tools ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

if (require.main === module) {
  bootstrap(process.argv.includes('--tests') ? TEST_BOOTSTRAP_STEPS : BOOTSTRAP_STEPS).catch((error: unknown) => {
    process.stderr.write(`bootstrap failed: ${error instanceof MissingToolchainError ? error.message : String(error)}\n`);
    if (!(error instanceof MissingToolchainError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}
