/**
 * `tsx client/codec-server/main.ts`: the codec server as a process. Settings: client/codec-server/config.ts and the
 * codec keys (common/codec-keys.ts). The token is not printed; configure the UI with `<url>/<token>` yourself.
 */
import { loadCodecKeyring } from '../../common/codec-keys';
import { createLogger } from '../../common/logger';
import { AesGcmPayloadCodec } from '../../common/payload-codec';
import { runMain } from '../../common/run-main';
import { codecServerConfigFromEnv } from './config';
import { startCodecServer } from './server';

runMain('fedreport-codec-server', async () => {
  const config = codecServerConfigFromEnv();
  const logger = createLogger('fedreport-codec-server', config.logLevel);
  const server = await startCodecServer({
    codec: new AesGcmPayloadCodec(loadCodecKeyring()),
    tokens: config.tokens,
    allowedOrigins: config.allowedOrigins,
    host: config.host,
    port: config.port,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
  });
  logger.info({ url: server.url, allowedOrigins: config.allowedOrigins }, 'codec server listening');
  return () => server.close();
});
