import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_INBOX_POLICY } from '../../../activities/inbox/inbox-policy';
import { checkQuarantineDir, inboxPolicyOf, workerConfigFromEnv } from '../../../worker/config';
import { ValidationError } from '../../../domain/validation-error';
import { validationIssues } from '../../support/validation-issues';

const REQUIRED = { FEDREPORT_FEDERATION_FILE: 'federation.yaml' };

describe('worker inbox settings', () => {
  it('default to the inbox policy’s defaults', () => {
    expect(inboxPolicyOf(workerConfigFromEnv(REQUIRED))).toEqual(DEFAULT_INBOX_POLICY);
  });

  it('are read from FEDREPORT_INBOX_* variables', () => {
    const config = workerConfigFromEnv({
      ...REQUIRED,
      FEDREPORT_INBOX_MAX_ATTEMPTS: '2',
      FEDREPORT_INBOX_UNMATCHED_GRACE: '0s',
      FEDREPORT_INBOX_ACK_MAX_BYTES: '65536',
      FEDREPORT_INBOX_RECEIVE_DOCUMENTS: 'true',
      FEDREPORT_INBOX_DOCUMENT_MAX_BYTES: String(200 * 1024 * 1024),
      FEDREPORT_INBOX_DOCUMENT_MAX_CHUNKS: '4',
      FEDREPORT_INBOX_QUARANTINE_ALERT_ABOVE: '3',
      FEDREPORT_INBOX_MESSAGES_IN_FLIGHT: '8',
    });
    expect(inboxPolicyOf(config)).toEqual({
      receiveDocuments: true,
      maxAttempts: 2,
      unmatchedGraceMs: 0,
      quarantineAlertAbove: 3,
      messagesInFlight: 8,
      limits: {
        ack: { maxBytes: 65_536, maxChunks: 1 },
        report: DEFAULT_INBOX_POLICY.limits.report,
        document: { maxBytes: 200 * 1024 * 1024, maxChunks: 4 },
      },
    });
  });

  it('name the variable and the reason when wrong', () => {
    const issues = (env: NodeJS.ProcessEnv) =>
      validationIssues(() => workerConfigFromEnv({ ...REQUIRED, ...env }));
    expect(issues({ FEDREPORT_INBOX_MAX_ATTEMPTS: '0' })).toEqual([
      { field: 'FEDREPORT_INBOX_MAX_ATTEMPTS', reason: 'must be between 1 and 100' },
    ]);
    expect(issues({ FEDREPORT_INBOX_MESSAGES_IN_FLIGHT: '65' })).toEqual([
      { field: 'FEDREPORT_INBOX_MESSAGES_IN_FLIGHT', reason: 'must be between 1 and 64' },
    ]);
    expect(issues({ FEDREPORT_INBOX_RECEIVE_DOCUMENTS: 'maybe' })).toEqual([
      { field: 'FEDREPORT_INBOX_RECEIVE_DOCUMENTS', reason: 'must be true or false' },
    ]);
  });

  it('refuse to start when the quarantine folder cannot be written, naming FEDREPORT_QUARANTINE_DIR', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-worker-'));
    fs.writeFileSync(path.join(base, 'a-file'), '');
    const unwritable = workerConfigFromEnv({
      ...REQUIRED,
      FEDREPORT_QUARANTINE_DIR: path.join(base, 'a-file', 'quarantine'),
    });
    const refused = await checkQuarantineDir(unwritable).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([
      {
        field: 'FEDREPORT_QUARANTINE_DIR',
        reason: expect.stringMatching(/cannot write to .*a-file\/quarantine \(ENOTDIR\)/),
      },
    ]);
    const writable = workerConfigFromEnv({
      ...REQUIRED,
      FEDREPORT_QUARANTINE_DIR: path.join(base, 'quarantine'),
    });
    await expect(checkQuarantineDir(writable)).resolves.toBeUndefined();
  });
});
