/**
 * The workflow bundle, built once and reused: workers in production start from the prebuilt file
 * (`npm run build:bundle`), and tests bundle once per file. The failure converter path must be baked into the
 * bundle, or workflow failure messages would reach the server in plaintext. The worker's bundle (prebuilt or
 * loaded at start) always holds the tracing interceptors, whose spans need the `exporter` sink only
 * createFedreportWorker registers (worker/tracing.ts); other workers (tests, benchmarks) bundle without them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../common/data-converter';
import { WORKFLOW_TRACING_INTERCEPTORS } from './tracing';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function buildWorkflowBundle(options: { tracing?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    ...(options.tracing && { workflowInterceptorModules: [WORKFLOW_TRACING_INTERCEPTORS] }),
    logger: new DefaultLogger('WARN'),
  });
}

/** A prebuilt bundle file when FEDREPORT_WORKFLOW_BUNDLE names one, else a fresh bundle. */
export async function loadWorkflowBundle(prebuiltPath = process.env.FEDREPORT_WORKFLOW_BUNDLE): Promise<{ code: string } | WorkflowBundleWithSourceMap> {
  if (prebuiltPath) return { code: fs.readFileSync(path.resolve(prebuiltPath), 'utf8') };
  return buildWorkflowBundle({ tracing: true });
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  buildWorkflowBundle({ tracing: true })
    .then((bundle) => {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, bundle.code);
      process.stdout.write(`workflow bundle written to ${out}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bundling failed: ${String(error)}\n`);
      process.exit(1);
    });
}
