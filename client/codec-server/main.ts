/**
 * `tsx client/codec-server/main.ts`: the codec server as a process. Settings: client/codec-server/config.ts and the
 * codec keys (common/codec-keys.ts). The token is not printed; configure the UI with `<url>/<token>` yourself, or
 * with single sign-on, `<url>` and codec.passAccessToken (docs/deployment.md).
 */
import { loadCodecKeyring } from '../../common/codec-keys';
import { createLogger } from '../../common/logger';
import { AesGcmPayloadCodec, payloadCodecOptionsFromEnv } from '../../common/payload-codec';
import { runMain } from '../../common/run-main';
import { accessTokenVerifier } from './access-token';
import { codecServerConfigFromEnv } from './config';
import { startCodecServer } from './server';

runMain('fedreport-codec-server', async () => {
  const config = codecServerConfigFromEnv();
  const logger = createLogger('fedreport-codec-server', config.logLevel);
  const server = await startCodecServer({
    codec: new AesGcmPayloadCodec(loadCodecKeyring(), payloadCodecOptionsFromEnv()),
    tokens: config.tokens,
    ...(config.accessTokens && { accessTokens: accessTokenVerifier(config.accessTokens) }),
    allowedOrigins: config.allowedOrigins,
    host: config.host,
    port: config.port,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
  });
  logger.info(
    {
      url: server.url,
      allowedOrigins: config.allowedOrigins,
      accessTokenIssuer: config.accessTokens?.issuer,
    },
    'codec server listening',
  );
  return () => server.close();
});
