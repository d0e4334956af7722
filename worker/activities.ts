/**
 * The worker's activities: each port of the workflows (workflows/*-activities.ts) satisfied by an adapter from
 * activities/, built once from configuration and shared by every workflow on this worker.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createAlertActivities, logAlertSink, webhookAlertSink } from '../activities/alerts/raise-alert';
import { createDeliveryActivities } from '../activities/delivery/send-report';
import type { MeshMailboxes } from '../integrations/mesh/mailboxes';
import { createEligibilityActivities } from '../activities/eligibility/assess-eligibility';
import { createPracticeSettingsActivities, type ServiceTimings } from '../activities/settings/practice-settings-view';
import type { FederationSettingsStore } from '../integrations/federation/store';
import { createInboxActivities } from '../activities/inbox/process-inbox';
import { SentMessageDirectory } from '../activities/inbox/sent-message-directory';
import type { MeshMetadataOptions } from '../integrations/itk3';
import type { PdsClient } from '../integrations/pds/client';
import type { EncounterActivities } from '../workflows/encounter-activities';
import type { InboxActivities } from '../workflows/mesh-inbox-activities';
import { createPreviousRunActivities } from './previous-run';

export interface ActivityDependencies {
  temporal: Client;
  settings: FederationSettingsStore;
  pds: PdsClient;
  mailboxes: MeshMailboxes;
  timings: ServiceTimings;
  metadata: MeshMetadataOptions;
  alertWebhookUrl?: string;
  quarantineDir: string;
  logger: Logger;
}

export function createActivities(deps: ActivityDependencies): EncounterActivities & InboxActivities {
  const sentMessages = new SentMessageDirectory();
  return {
    ...createPracticeSettingsActivities(deps.settings, deps.timings),
    ...createEligibilityActivities({ pds: deps.pds, settings: deps.settings }),
    ...createDeliveryActivities({ mailboxes: deps.mailboxes, metadata: deps.metadata, sentMessages }),
    ...createAlertActivities([
      logAlertSink(deps.logger),
      ...(deps.alertWebhookUrl ? [webhookAlertSink(deps.alertWebhookUrl)] : []),
    ]),
    ...createPreviousRunActivities(deps.temporal),
    ...createInboxActivities({ mailboxes: deps.mailboxes, temporal: deps.temporal, quarantineDir: deps.quarantineDir, logger: deps.logger, sentMessages }),
  };
}
