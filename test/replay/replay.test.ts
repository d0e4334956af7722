/**
 * Recorded histories of the main paths replayed against today's workflow code: a change that would break running
 * encounters in production fails here first (gate it with patched() instead).
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { buildDataConverter } from '../../common/data-converter';
import { buildWorkflowBundle } from '../../worker/bundle';
import { workerTracingOptions } from '../../worker/tracing';
import { TEST_KEYRING } from '../support/codec';
import { HISTORIES_DIR } from '../support/histories';
import { bundleWorkflows, installTestRuntime } from '../support/temporal';

/** Today's recordings at the top, older ones in a folder named after the patch that changed the workflow after them. */
const histories = (fs.readdirSync(HISTORIES_DIR, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
const load = (file: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
const dataConverter = buildDataConverter(TEST_KEYRING);

describe('replay of recorded histories', () => {
  let released: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    installTestRuntime();
    released = await buildWorkflowBundle({ tracing: true }); // the worker's bundle: its spans need the sink below
  });

  it('has recorded histories of the main paths', () => {
    expect(histories.length).toBeGreaterThanOrEqual(5);
  });

  it.each(histories)('today’s workflow code replays %s', async (file) => {
    await Worker.runReplayHistory(
      { workflowBundle: released, dataConverter, ...workerTracingOptions(undefined) },
      load(file),
      file,
    );
  });

  it('catches a non-deterministic change to the workflow', async () => {
    const current = histories.find((file) => !file.includes(path.sep) && file.includes('acknowledged'))!; // an encounter history
    const changed = await bundleWorkflows(require.resolve('./fixtures/changed-workflows'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: changed, dataConverter }, load(current), current),
    ).rejects.toThrow(DeterminismViolationError);
  });
});
