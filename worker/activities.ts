/**
 * The worker's activities: each port of the workflows (workflows/*-activities.ts) satisfied by an adapter from
 * activities/, built once from configuration and shared by every workflow on this worker.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createArchivePurgeActivities } from '../activities/archive/purge-archive';
import { createAlertActivities, logAlertSink, webhookAlertSink } from '../activities/alerts/raise-alert';
import { createDeliveryActivities } from '../activities/delivery/send-report';
import type { MeshMailboxes } from '../integrations/mesh/mailboxes';
import { createEligibilityActivities } from '../activities/eligibility/assess-eligibility';
import {
  createPracticeSettingsActivities,
  type ServiceTimings,
} from '../activities/settings/practice-settings-view';
import type { FederationSettingsStore } from '../integrations/federation/store';
import { createInboxActivities } from '../activities/inbox/process-inbox';
import { filingSettingsFrom } from '../activities/settings/filing-settings';
import { createDocumentHandover } from '../activities/inbox/document-handover';
import { archiveDocumentInbox } from '../activities/receiving/received-document-inbox';
import { createReceivedMessageActivities } from '../activities/receiving/received-message-activities';
import type { ReceivedStore } from '../integrations/store/open-archive';
import type { ReceivedMessageActivities } from '../workflows/received-message-activities';
import { SentMessageDirectory } from '../activities/inbox/sent-message-directory';
import type { MeshMetadataOptions } from '../integrations/itk3';
import type { PdsClient } from '../integrations/pds/client';
import type { ArchiveRepository } from '../integrations/store/archive-repository';
import type { EncounterActivities } from '../workflows/encounter-activities';
import type { InboxActivities } from '../workflows/mesh-inbox-activities';
import type { InboxPolicy } from '../activities/inbox/inbox-policy';
import { createPreviousRunActivities } from './previous-run';
import { createPracticeDigestActivities } from '../activities/digest/practice-digest';
import type { PracticeDigestActivities } from '../workflows/practice-digest-activities';
import type { ArchivePurgeActivities } from '../workflows/archive-purge-activities';

export interface ActivityDependencies {
  temporal: Client;
  settings: FederationSettingsStore;
  pds: PdsClient;
  mailboxes: MeshMailboxes;
  /** Every message sent and its answers (issue 17): the copy is written before a report leaves. */
  archive: ArchiveRepository;
  /** The receiver's copies and document inbox (issue 18), in the same archive database. */
  received: ReceivedStore;
  timings: ServiceTimings;
  metadata: MeshMetadataOptions;
  alertWebhookUrl?: string;
  quarantineDir: string;
  /** Which inbox messages are taken and how much of each is read; defaults: activities/inbox/inbox-policy.ts. */
  inboxPolicy?: InboxPolicy;
  logger: Logger;
}

export function createActivities(
  deps: ActivityDependencies,
): EncounterActivities &
  InboxActivities &
  PracticeDigestActivities &
  ArchivePurgeActivities &
  ReceivedMessageActivities {
  const sentMessages = new SentMessageDirectory();
  const practiceOf = (mailbox: string) => practiceOfMailbox(deps.settings, mailbox);
  const filingSettings = filingSettingsFrom(deps.settings);
  const alertSinks = [
    logAlertSink(deps.logger),
    ...(deps.alertWebhookUrl ? [webhookAlertSink(deps.alertWebhookUrl)] : []),
  ];
  return {
    ...createPracticeSettingsActivities(deps.settings, deps.timings),
    ...createEligibilityActivities({ pds: deps.pds, settings: deps.settings }),
    ...createDeliveryActivities({
      mailboxes: deps.mailboxes,
      archive: deps.archive,
      attachments: deps.archive,
      metadata: deps.metadata,
      sentMessages,
    }),
    ...createAlertActivities(alertSinks),
    ...createPreviousRunActivities(deps.temporal),
    ...createPracticeDigestActivities({ temporal: deps.temporal, alertSinks }),
    ...createArchivePurgeActivities(deps.archive),
    ...createInboxActivities({
      mailboxes: deps.mailboxes,
      temporal: deps.temporal,
      archive: deps.archive,
      quarantineDir: deps.quarantineDir,
      logger: deps.logger,
      sentMessages,
      policy: deps.inboxPolicy,
      alertSinks,
      practiceOfMailbox: practiceOf,
      handover: createDocumentHandover({ deliveries: deps.received.deliveries, temporal: deps.temporal }),
    }),
    ...createReceivedMessageActivities({
      deliveries: deps.received.deliveries,
      inbox: archiveDocumentInbox(deps.received.documents),
      mailboxes: deps.mailboxes,
      pds: deps.pds,
      practiceOfMailbox: practiceOf,
      filingSettingsOf: filingSettings,
      alertSinks,
    }),
  };
}

/** The practice that uses a MESH mailbox (the first by ODS code if several share it), from the federation settings. */
async function practiceOfMailbox(
  settings: FederationSettingsStore,
  mailbox: string,
): Promise<string | undefined> {
  const practices = Object.values((await settings.current()).practices);
  const users = practices
    .filter((p) => p.meshMailbox.toUpperCase() === mailbox.toUpperCase())
    .map((p) => p.odsCode);
  return users.sort()[0];
}
