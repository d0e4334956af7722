/**
 * `tsx client/api/main.ts`: the clinical-system API as a process. Settings from the environment: client/api/config.ts
 * (API), common/temporal-connection.ts (Temporal), common/codec-keys.ts (payload keys); all listed in docs/api.md.
 */
import { loadCodecKeyring } from '../../common/codec-keys';
import { connectClient } from '../../common/temporal-connection';
import { archiveSettingsFromEnv, openArchive } from '../../integrations/store/open-archive';
import { ReceivedDocumentQueries } from '../../integrations/store/received-document-queries';
import { createLogger } from '../../common/logger';
import { runMain } from '../../common/run-main';
import { startTracing } from '../../common/tracing';
import { apiConfigFromEnv } from './config';
import { buildApi } from './server';

runMain('fedreport-api', async () => {
  const config = apiConfigFromEnv();
  const keyring = loadCodecKeyring();
  const archiveSettings = archiveSettingsFromEnv(keyring);
  const tracing = startTracing('fedreport-api');
  const logger = createLogger('fedreport-api', config.logLevel);
  const credentials = config.auth.mode === 'bearer' ? config.auth.tokens : config.auth.certificates;
  const unscoped = credentials.filter((credential) => credential.practices === '*').map((c) => c.name);
  if (unscoped.length > 0) {
    logger.warn(
      { credentials: unscoped },
      'these credentials act for every practice (docs/api.md, Credentials)',
    );
  }
  // Lazy: the API starts (and /ready says 503) while Temporal is still coming up.
  const client = await connectClient({ lazy: true, keyring, tracing: tracing.enabled });
  const archive = await openArchive(archiveSettings);
  const app = buildApi({
    client,
    archive: archive.repository,
    documents: new ReceivedDocumentQueries(archive.db, archiveSettings.encryption),
    auth: config.auth,
    ...(config.tls && { tls: config.tls }),
    bodyLimitBytes: config.bodyLimitBytes,
    maxSnapshotBytes: config.maxSnapshotBytes,
    temporalTimeoutMs: config.temporalTimeoutMs,
    timeouts: config.timeouts,
    rateLimit: config.rateLimit,
    tracing: tracing.enabled,
    logger,
  });
  await app.listen({ host: config.host, port: config.port });
  return async () => {
    await app.close();
    await client.connection.close();
    await archive.close();
    await tracing.shutdown();
  };
});
