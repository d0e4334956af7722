/**
 * The worker process: `npx tsx worker/main.ts` (configuration from the environment, see docs/operations.md).
 * Runs the encounter, MESH inbox and received-message workflows (and the schedules') and their activities until
 * SIGINT/SIGTERM, then drains and exits.
 */
import { NativeConnection } from '@temporalio/worker';
import { createPdsClient } from '../integrations/pds/client';
import { pdsConfigFromEnv } from '../integrations/pds/config';
import { meshConfigFromEnv } from '../integrations/mesh/config';
import { meshMailboxes } from '../integrations/mesh/mailboxes';
import { openFederationSettings } from '../integrations/federation/store';
import { loadCodecKeyring } from '../common/codec-keys';
import { archiveSettingsFromEnv, openArchive } from '../integrations/store/open-archive';
import { buildDataConverter } from '../common/data-converter';
import { createLogger } from '../common/logger';
import { runMain } from '../common/run-main';
import { startTracing } from '../common/tracing';
import {
  connectClient,
  temporalConnectionConfigFromEnv,
  temporalConnectionOptions,
} from '../common/temporal-connection';
import { ENCOUNTER_TASK_QUEUE } from '../workflows/encounter-identity';
import { createActivities } from './activities';
import { digestSettingsFromEnv, ensureDigestSchedules } from './digest-schedules';
import { ensureArchivePurgeSchedule } from './archive-purge-schedule';
import { archiveRetentionDaysFromEnv } from '../integrations/store/archive-retention';
import { loadWorkflowBundle } from './bundle';
import { checkQuarantineDir, inboxPolicyOf, workerConfigFromEnv } from './config';
import { createFedreportWorker, startInboxPollers } from './worker';
import { installRuntime } from './runtime-logger';

runMain('fedreport worker', async () => {
  // Every setting is validated before anything starts, so a mistake is reported alone and nothing half-starts.
  const config = workerConfigFromEnv();
  const temporalConfig = temporalConnectionConfigFromEnv();
  const keyring = loadCodecKeyring();
  const mesh = meshConfigFromEnv();
  const pds = createPdsClient(pdsConfigFromEnv());
  const archiveSettings = archiveSettingsFromEnv(keyring);
  const retentionDays = archiveRetentionDaysFromEnv(); // a bad value stops the start, before any work
  const logger = createLogger('fedreport-worker', config.FEDREPORT_LOG_LEVEL);
  await checkQuarantineDir(config);
  const tracing = startTracing('fedreport-worker');

  installRuntime(logger, { metricsPort: config.FEDREPORT_METRICS_PORT });

  const digestSettings = digestSettingsFromEnv(process.env); // a bad value stops the start, before any work
  const settings = await openFederationSettings(config.FEDREPORT_FEDERATION_FILE, { logger });
  // Migrated before any activity runs: no report leaves without its archived copy.
  const archive = await openArchive(archiveSettings);
  const connection = await NativeConnection.connect(temporalConnectionOptions(temporalConfig));
  const client = await connectClient({ keyring, tracing: tracing.enabled });
  const mailboxes = meshMailboxes(mesh, config.meshMailboxPasswords);
  const worker = await createFedreportWorker({
    connection,
    namespace: temporalConfig.namespace,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    dataConverter: buildDataConverter(keyring),
    workflowBundle: await loadWorkflowBundle(),
    maxCachedWorkflows: config.FEDREPORT_MAX_CACHED_WORKFLOWS,
    tracing,
    activities: createActivities({
      temporal: client,
      settings,
      pds,
      mailboxes,
      archive: archive.repository,
      received: archive.received,
      timings: {
        infrastructureAckWindowMs: config.FEDREPORT_INFRASTRUCTURE_ACK_WINDOW,
        businessAckWindowMs: config.FEDREPORT_BUSINESS_ACK_WINDOW,
        idleRetentionMs: config.FEDREPORT_IDLE_RETENTION,
      },
      metadata: {
        workflowId: config.FEDREPORT_MESH_WORKFLOW_ID,
        dobFormat: config.FEDREPORT_MEX_TO_DOB_FORMAT,
      },
      alertWebhookUrl: config.FEDREPORT_ALERT_WEBHOOK_URL,
      quarantineDir: config.FEDREPORT_QUARANTINE_DIR,
      inboxPolicy: inboxPolicyOf(config),
      logger,
    }),
  });
  const running = worker.run();
  const { practices } = await settings.current();
  const practiceMailboxes = Object.values(practices).map((p) => p.meshMailbox);
  await ensureDigestSchedules(client, Object.keys(practices), digestSettings);
  await ensureArchivePurgeSchedule(client, retentionDays);
  await startInboxPollers(client, {
    mailboxes: practiceMailboxes,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    pollIntervalMs: config.FEDREPORT_INBOX_POLL_INTERVAL,
  });
  logger.info({ taskQueue: ENCOUNTER_TASK_QUEUE, mailboxes: practiceMailboxes.length }, 'worker running');

  return async () => {
    worker.shutdown();
    await running;
    await client.connection.close();
    await connection.close();
    await archive.close();
    await tracing.shutdown();
  };
});
