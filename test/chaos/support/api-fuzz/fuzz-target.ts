/**
 * The system under fuzz: the real API (`buildApi`) on a free loopback port, with a real Temporal client that
 * encrypts payloads under a throwaway key, and a log sink that counts error lines and lines leaking PHI or the token.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { DestinationStream } from 'pino';
import { apiConfigFromEnv } from '../../../../client/api/config';
import { buildApi } from '../../../../client/api/server';
import { parseCodecKeyring } from '../../../../common/codec-keys';
import { buildDataConverter } from '../../../../common/data-converter';
import { createLogger } from '../../../../common/logger';
import { FieldEncryption } from '../../../../integrations/store/field-encryption';
import { openArchive } from '../../../../integrations/store/open-archive';
import { EXAMPLE_PHI } from './fuzz-case';

const HISTORY_MESSAGE_LIMIT_BYTES = 64 * 1024 * 1024;

/** pino's numeric level of `error`: such a line means the API met something it did not expect. */
const PINO_ERROR_LEVEL = 50;

/** Counts the API's log lines instead of keeping them: ten thousand requests log tens of thousands of lines. */
export class LogTally implements DestinationStream {
  lines = 0;
  errorLines = 0;
  /** Lines carrying a value that must never be logged: patient data or the bearer token. */
  sensitiveLines = 0;

  constructor(private readonly sensitive: readonly string[]) {}

  write(line: string): void {
    this.lines += 1;
    if ((JSON.parse(line) as { level: number }).level >= PINO_ERROR_LEVEL) this.errorLines += 1;
    if (this.sensitive.some((value) => line.includes(value))) this.sensitiveLines += 1;
  }
}

export interface FuzzTarget {
  readonly port: number;
  readonly token: string;
  readonly bodyLimitBytes: number;
  readonly maxSnapshotBytes: number;
  readonly client: Client;
  readonly log: LogTally;
  close(): Promise<void>;
}

/** `archiveUrl`: the PostgreSQL database the API keeps attachments in (as deployed). */
export async function startFuzzTarget(
  temporal: { address: string; namespace: string },
  archiveUrl: string,
): Promise<FuzzTarget> {
  const keyring = parseCodecKeyring(
    { keys: { fuzz: crypto.randomBytes(32).toString('base64') } },
    'API fuzz key',
  );
  const connection = await Connection.connect({
    address: temporal.address,
    // Counting the control encounter's signals reads its history, which holds every accepted save: a few near the
    // snapshot budget pass gRPC's default 4 MiB.
    channelArgs: { 'grpc.max_receive_message_length': HISTORY_MESSAGE_LIMIT_BYTES },
  });
  const client = new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: buildDataConverter(keyring),
  });
  const token = crypto.randomBytes(24).toString('hex');
  const log = new LogTally([...EXAMPLE_PHI, token]);
  // The production defaults (body limit, snapshot budget, Temporal timeout, timeouts, info-level logs), read as the
  // API process reads them: the fuzz attacks the API as deployed. All but the rate limit, which would answer most of
  // the run 429 (test/integration/api/rate-limit.test.ts tests it).
  const config = apiConfigFromEnv({ FEDREPORT_API_TOKENS: token, FEDREPORT_API_RATE_LIMIT_MAX: '1000000' });
  const archive = await openArchive({
    database: { url: archiveUrl, poolSize: 4 },
    encryption: new FieldEncryption(keyring, 'fuzz'),
  });
  const app = buildApi({
    client,
    archive: archive.repository,
    auth: config.auth,
    bodyLimitBytes: config.bodyLimitBytes,
    maxSnapshotBytes: config.maxSnapshotBytes,
    temporalTimeoutMs: config.temporalTimeoutMs,
    timeouts: config.timeouts,
    rateLimit: config.rateLimit,
    logger: createLogger('fedreport-api-fuzz', config.logLevel, log),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    port,
    token,
    bodyLimitBytes: config.bodyLimitBytes,
    maxSnapshotBytes: config.maxSnapshotBytes,
    client,
    log,
    close: async () => {
      await app.close();
      await connection.close();
      await archive.close();
    },
  };
}
