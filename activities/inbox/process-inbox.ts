/**
 * One poll of a sending mailbox's MESH inbox: download every waiting message, route ITK3 acknowledgements and MESH
 * reports to their encounter workflow, and acknowledge in MESH only after Temporal accepted the signal. A crash
 * between signal and acknowledge re-delivers the message next poll; the workflow ignores the duplicate.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { parseItk3Response, Itk3ParseError } from '../../integrations/itk3';
import type { MeshIncomingMessage } from '../../integrations/mesh/messages';
import { readMeshReport } from '../../integrations/mesh/report-parser';
import type { MeshMailboxes } from '../../integrations/mesh/mailboxes';
import { acknowledgementReceivedSignal, meshReportReceivedSignal } from '../../workflows/encounter-messages';
import type { InboxActivities, InboxPollSummary } from '../../workflows/mesh-inbox-activities';
import { REPORT_MESSAGE_IDS } from '../../workflows/search-attributes';
import type { SentMessageDirectory } from './sent-message-directory';

/** A readable message no encounter claims is kept this long (visibility may lag a fresh send), then quarantined. */
const UNMATCHED_GRACE_MS = 24 * 3_600_000;

export interface InboxDependencies {
  mailboxes: MeshMailboxes;
  temporal: Client;
  /** Unknown or malformed messages are written here for operators (the folder is PHI-bearing: protect it). */
  quarantineDir: string;
  /** Encounters this worker sent reports for; shared with the delivery activities. */
  sentMessages?: SentMessageDirectory;
  logger: Logger;
}

type Routed = { outcome: 'acknowledgement' | 'report'; code: string } | { outcome: 'unmatched' } | { outcome: 'quarantine'; why: string };

export function createInboxActivities(deps: InboxDependencies): InboxActivities {
  /** The encounter workflow that sent the message with this MessageHeader id (also our Mex-LocalID). */
  async function encounterFor(messageHeaderId: string): Promise<string | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(messageHeaderId)) return undefined; // never interpolate anything else into a query
    const known = deps.sentMessages?.workflowIdFor(messageHeaderId);
    if (known) return known;
    for await (const execution of deps.temporal.workflow.list({ query: `${REPORT_MESSAGE_IDS.name} = '${messageHeaderId}'` })) {
      deps.sentMessages?.remember(messageHeaderId, execution.workflowId);
      return execution.workflowId;
    }
    return undefined;
  }

  async function route(message: MeshIncomingMessage): Promise<Routed> {
    const receivedAt = new Date().toISOString();
    if (message.messageType === 'REPORT') {
      const report = readMeshReport(message);
      const workflowId = report.localId ? await encounterFor(report.localId) : undefined;
      if (!workflowId) return { outcome: 'unmatched' };
      await deps.temporal.workflow.getHandle(workflowId).signal(meshReportReceivedSignal, {
        meshMessageId: report.linkedMessageId,
        statusCode: report.statusCode,
        classification: report.classification,
        description: report.description,
        receivedAt,
      });
      return { outcome: 'report', code: report.statusCode };
    }
    const ack = parseItk3Response(message.body);
    const workflowId = await encounterFor(ack.originalMessageHeaderId);
    if (!workflowId) return { outcome: 'unmatched' };
    await deps.temporal.workflow.getHandle(workflowId).signal(acknowledgementReceivedSignal, {
      messageHeaderId: ack.originalMessageHeaderId,
      kind: ack.kind,
      code: ack.code,
      display: ack.display,
      positive: ack.positive,
      receivedAt,
    });
    return { outcome: 'acknowledgement', code: ack.code };
  }

  async function quarantine(mailbox: string, message: MeshIncomingMessage, why: string): Promise<void> {
    const dir = path.join(deps.quarantineDir, mailbox);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const { body, ...headers } = message;
    await fs.writeFile(path.join(dir, `${message.messageId}.json`), JSON.stringify({ why, headers, bodyBase64: body.toString('base64') }), { mode: 0o600 });
    deps.logger.warn({ mailbox, meshMessageId: message.messageId, messageType: message.messageType, why }, 'MESH message quarantined');
  }

  return {
    async handshakeMailbox({ mailbox }) {
      await deps.mailboxes.clientFor(mailbox).handshake();
    },

    async processInbox({ mailbox }) {
      const mesh = deps.mailboxes.clientFor(mailbox);
      const meter = Context.current().metricMeter;
      const summary: InboxPollSummary = { downloaded: 0, acknowledgements: 0, reports: 0, quarantined: 0, unmatched: 0 };
      let pagePath: string | undefined;
      for (;;) {
        const page = await mesh.listInboxPage(pagePath ? { pagePath } : {});
        for (const messageId of page.messageIds) {
          Context.current().heartbeat(summary);
          const message = await mesh.download(messageId);
          summary.downloaded += 1;
          let routed: Routed;
          try {
            routed = await route(message);
          } catch (error) {
            if (!(error instanceof Itk3ParseError)) throw error; // Temporal or MESH trouble: retry the poll
            routed = { outcome: 'quarantine', why: `${error.reason}: ${error.message}` };
          }
          if (routed.outcome === 'unmatched') {
            if (!isOlderThan(message, UNMATCHED_GRACE_MS)) {
              summary.unmatched += 1;
              continue; // leave it for the next poll
            }
            routed = { outcome: 'quarantine', why: 'no encounter sent a message with this identifier' };
          }
          if (routed.outcome === 'quarantine') {
            await quarantine(mailbox, message, routed.why);
            summary.quarantined += 1;
            meter.createCounter('fedreport_inbox_quarantined', 'messages', 'Unreadable or unmatched MESH messages').add(1);
          } else {
            summary[routed.outcome === 'acknowledgement' ? 'acknowledgements' : 'reports'] += 1;
            meter.createCounter('fedreport_acknowledgements', 'messages', 'ITK3 acks and MESH reports by code').withTags({ code: routed.code }).add(1);
          }
          await mesh.acknowledge(messageId);
        }
        // Drain: a full page or a next link means more is waiting.
        if (!page.nextPath) break;
        pagePath = page.nextPath;
      }
      return summary;
    },
  };
}

/** MESH status timestamps are `yyyyMMddHHmmss` UTC. */
function isOlderThan(message: MeshIncomingMessage, ageMs: number): boolean {
  const t = message.status.timestamp;
  if (!t || !/^\d{14}$/.test(t)) return false;
  const at = Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(8, 10), +t.slice(10, 12), +t.slice(12, 14));
  return Date.now() - at > ageMs;
}
