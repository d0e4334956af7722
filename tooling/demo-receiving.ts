/**
 * The other end of a demo report: the registered practice's receiver (fedreport itself in the local stack) took the
 * message from its mailbox, filed it and answered. Found from the encounter's last MessageHeader id, which names the
 * received-message workflow at the registered practice's mailbox (domain/received-message-identity.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseCodecKeyring } from '../common/codec-keys';
import { buildDataConverter } from '../common/data-converter';
import { receivedMessageWorkflowId } from '../domain/received-message-identity';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import { statusQuery } from '../workflows/encounter-messages';
import {
  receivedMessageStageQuery,
  type ReceivedMessageResult,
} from '../workflows/received-message-workflow';
import { exampleFederationSettings } from './example-federation';
import type { StackInfo } from './local-stack';

/** The local stack's codec keys (tooling/local-stack.ts writes them beside stack.json). */
const CODEC_KEYS_FILE = 'codec-keys.json';

export class ReceivingSide {
  private constructor(
    private readonly client: Client,
    private readonly uiUrl: string,
  ) {}

  static async connect(stack: StackInfo, stateDir: string): Promise<ReceivingSide> {
    const keysFile = path.join(stateDir, CODEC_KEYS_FILE);
    const keyring = parseCodecKeyring(JSON.parse(fs.readFileSync(keysFile, 'utf8')), keysFile);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection, dataConverter: buildDataConverter(keyring) });
    return new ReceivingSide(client, stack.uiUrl);
  }

  /** One line about the encounter's last report at its registered practice; undefined when none was sent. */
  async describe(encounterId: string): Promise<string | undefined> {
    const status = await this.client.workflow.getHandle(encounterWorkflowId(encounterId)).query(statusQuery);
    const practice = status.registeredPracticeOds;
    if (!practice || !status.lastMessageHeaderId) return undefined;
    const mailbox = exampleFederationSettings().practices[practice]?.meshMailbox;
    if (!mailbox) return undefined;
    const workflowId = receivedMessageWorkflowId(mailbox, { messageHeaderId: status.lastMessageHeaderId });
    const handle = this.client.workflow.getHandle(workflowId);
    const execution = await handle.describe().catch(() => undefined);
    if (!execution) return undefined; // never reached the registered practice's receiver
    const stage = await handle.query(receivedMessageStageQuery);
    const answers =
      execution.status.name === 'COMPLETED'
        ? await answered(handle.result() as Promise<ReceivedMessageResult>)
        : '';
    const where = `${status.hostingPracticeOds} → MESH → ${practice} (mailbox ${mailbox})`;
    return `${where}: ${stage}${answers} → ${this.uiUrl}/namespaces/default/workflows/${workflowId}`;
  }

  close(): Promise<void> {
    return this.client.connection.close();
  }
}

async function answered(result: Promise<ReceivedMessageResult>): Promise<string> {
  const { infrastructureCode, businessCode } = await result;
  return `, answered ${[infrastructureCode, businessCode].filter(Boolean).join(' then ')}`;
}
