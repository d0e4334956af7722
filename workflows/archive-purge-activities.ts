/** What the archive's retention purge needs from the outside world (port; adapter in activities/archive/). */
export interface ArchivePurgeInput {
  /** Everything archived more than this many days ago goes. */
  retentionDays: number;
}

/** Rows deleted, by kind: counts only, no ids or patient data. */
export interface ArchivePurgeCounts {
  sentMessages: number;
  answers: number;
  receivedMessages: number;
  receivedHandovers: number;
  attachments: number;
}

export interface ArchivePurgeActivities {
  purgeArchive(input: ArchivePurgeInput): Promise<ArchivePurgeCounts>;
}
