/**
 * Runs the receiving-practice simulator: `tsx simulators/receiving-practice/main.ts`, configured by RECEIVING_PRACTICE_*
 * environment variables (settings.ts; docs/receiving-practice-simulator.md). The mailboxes, the registered practices'
 * own, must already exist on the MESH side (mesh-sandbox: `MeshSandbox.addMailbox(id)` or an upper-case directory in
 * its store); the MESH router delivers GPPROVIDER sends there.
 */
import { createLogger } from '../../common/logger';
import { runMain } from '../../common/run-main';
import { receivingPracticeSettingsFromEnv } from './settings';
import { startReceivingPractice } from './simulator';

runMain('receiving-practice simulator', async () => {
  const { options, logLevel } = receivingPracticeSettingsFromEnv();
  const practice = await startReceivingPractice({
    ...options,
    logger: createLogger('receiving-practice', logLevel),
  });
  process.stdout.write(
    `receiving-practice simulator polling ${options.mailboxes.length} mailbox(es); admin endpoint ${practice.adminUrl}\n`,
  );
  return () => practice.close();
});
