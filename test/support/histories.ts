import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.resolve(__dirname, '../replay/histories');

/**
 * With FEDREPORT_RECORD_HISTORIES=1 a test saves the history of a main path for the replay suite
 * (`FEDREPORT_RECORD_HISTORIES=1 npx jest test/workflow test/integration/encounter`); otherwise it does nothing.
 */
export async function recordHistoryIfRequested(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.FEDREPORT_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${historyToJSON(history)}\n`);
}
