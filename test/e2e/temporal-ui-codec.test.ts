/**
 * What an operator sees: the Temporal Web UI shows an encounter's input decrypted through the codec server, while
 * the server itself stores only ciphertext. Headless Chromium (Debian package) driven by playwright-core; the
 * screenshot is kept under test-results/ as an artefact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { chromium } from 'playwright-core';
import { startCodecServer } from '../../client/codec-server/server';
import { buildDataConverter } from '../../common/data-converter';
import { AesGcmPayloadCodec } from '../../common/payload-codec';
import { PROJECT_ROOT } from '../../tooling/paths';
import { freePort } from '../../tooling/processes';
import { startDevServer } from '../../tooling/temporal-dev-server';
import { encounterWorkflowId, ENCOUNTER_TASK_QUEUE } from '../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE } from '../../workflows/encounter-messages';
import { TEST_KEYRING } from '../support/codec';

const CHROMIUM = process.env.FEDREPORT_CHROMIUM ?? '/usr/bin/chromium';
const ARTEFACTS = path.join(PROJECT_ROOT, 'test-results', 'artefacts');

describe('Temporal UI with the codec server', () => {
  it('shows the decoded workflow input while the server stores ciphertext', async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package chromium (.ci/run does)`);
    const token = 'ui-test-token-0123456789abcdef';
    const uiPort = await freePort();
    // The browser calls the codec server from the UI's origin, which CORS must allow.
    const codecServer = await startCodecServer({
      codec: new AesGcmPayloadCodec(TEST_KEYRING),
      tokens: [token],
      allowedOrigins: [`http://127.0.0.1:${uiPort}`],
    });
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    const server = await startDevServer({ uiPort, codecEndpoint: codecServer.uiEndpoint(token), logFile: path.join(ARTEFACTS, 'ui-dev-server.log') });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection, dataConverter: buildDataConverter(TEST_KEYRING) });
      const encounterId = '7c2d4e6f-8a9b-4c1d-9e2f-3a4b5c6d7e8f';
      const handle = await client.workflow.start(ENCOUNTER_WORKFLOW_TYPE, {
        workflowId: encounterWorkflowId(encounterId),
        taskQueue: ENCOUNTER_TASK_QUEUE,
        args: [{ encounterId, hostingPracticeOds: 'Y90001' }],
      });
      // The server holds ciphertext only.
      const rawInput = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(Buffer.from(rawInput?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
      expect(Buffer.from(rawInput?.data ?? []).includes(Buffer.from('hostingPracticeOds'))).toBe(false);

      const page = await browser.newPage();
      await page.goto(`${server.uiUrl}/namespaces/default/workflows/${encounterWorkflowId(encounterId)}`);
      await page.getByText('hostingPracticeOds').first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(ARTEFACTS, 'temporal-ui-decoded-input.png'), fullPage: true });
      expect(await page.content()).toContain('Y90001');
      await handle.terminate('test finished');
    } finally {
      await browser.close();
      await connection.close();
      await server.process.stop();
      await codecServer.close();
    }
  }, 120_000);
});
