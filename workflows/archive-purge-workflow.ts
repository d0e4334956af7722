/**
 * The archive's retention purge, started daily by its Temporal Schedule (worker/archive-purge-schedule.ts). One
 * activity deletes in batches what is past retention; it is idempotent, so a retry after a crash finishes the job.
 */
import { proxyActivities } from '@temporalio/workflow';
import type {
  ArchivePurgeActivities,
  ArchivePurgeCounts,
  ArchivePurgeInput,
} from './archive-purge-activities';

const archive = proxyActivities<ArchivePurgeActivities>({
  startToCloseTimeout: '1 hour',
  retry: { initialInterval: '30 seconds', maximumInterval: '30 minutes' },
});

export const ARCHIVE_PURGE_WORKFLOW_TYPE = 'archivePurgeWorkflow';
export const ARCHIVE_PURGE_SCHEDULE_ID = 'archive-purge';

export async function archivePurgeWorkflow(input: ArchivePurgeInput): Promise<ArchivePurgeCounts> {
  return archive.purgeArchive(input);
}
