import { DefaultLogger, Runtime, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { testServerWrapperPath } from '../../tooling/temporal-test-server';
import { FEDREPORT_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

let runtimeInstalled = false;

/** Runtime.install must happen once per process, before any worker, connection or environment. */
export function installTestRuntime(): void {
  if (runtimeInstalled) return;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Another test file in this process installed it already; one runtime serves them all.
  }
  runtimeInstalled = true;
}

/** The Java time-skipping server built by the bootstrap, launched by the SDK through the exec wrapper. */
export async function createTimeSkippingEnv(options: { dataConverter?: DataConverter } = {}): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerWrapperPath() } },
    ...(options.dataConverter && { client: { dataConverter: options.dataConverter } }),
  });
  // The test server starts with none of our search attributes; the dev server gets them as start flags.
  const searchAttributes = Object.fromEntries(
    FEDREPORT_SEARCH_ATTRIBUTES.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
  return env;
}

/** Bundle once per test file: Worker.create with workflowsPath would re-bundle for every worker. */
export async function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
}
