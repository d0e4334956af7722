/** The retention purge's activity: the cut-off is now minus the retention, taken when the activity runs. */
import type { ArchiveRepository } from '../../integrations/store/archive-repository';
import type { ArchivePurgeActivities } from '../../workflows/archive-purge-activities';

const DAY_MS = 86_400_000;

export function createArchivePurgeActivities(archive: ArchiveRepository): ArchivePurgeActivities {
  return {
    purgeArchive: ({ retentionDays }) =>
      archive.purgeArchivedBefore(new Date(Date.now() - retentionDays * DAY_MS)),
  };
}
