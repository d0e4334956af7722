/**
 * Which MESH messages in a practice mailbox are fedreport's, and how much of each it will read. A mailbox may be
 * shared (the practice's clinical system receives consultation reports and other workflows in it): fedreport lists
 * only its own workflows, and everything else stays in the inbox unread and unacknowledged (docs/operations.md).
 */
import type { DownloadLimits, MeshMessageHeaders } from '../../integrations/mesh/download';

/** ITK3 answers, MESH REPORTs about our sends, and Send Document messages for the receiving side. */
export type InboxKind = 'ack' | 'report' | 'document';

/** The workflows fedreport sends on (GP Connect Send Document, v1.2 and v2 names: receivers accept both). */
export const SEND_WORKFLOWS = ['GPFED_CONSULT_REPORT', 'GPCONNECT_SEND_DOCUMENT'] as const;

export interface InboxPolicy {
  /** Take Send Document DATA messages (the receiving side); off, they are left for the practice's own system. */
  receiveDocuments: boolean;
  limits: Record<InboxKind, DownloadLimits>;
  /** Failed attempts at one message, counted across polls, before it is quarantined. */
  maxAttempts: number;
  /** A readable answer no report claims waits this long in the inbox (a fresh send may not be searchable yet). */
  unmatchedGraceMs: number;
  /** A backlog alert opens when the mailbox holds more quarantined messages than this. */
  quarantineAlertAbove: number;
  /** Messages of one poll handled at once (each is independent: its own answer, its own encounter). */
  messagesInFlight: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_INBOX_POLICY: InboxPolicy = {
  receiveDocuments: false,
  limits: {
    // ITK3 acknowledgements are a few KB.
    ack: { maxBytes: 1 * MIB, maxChunks: 1 },
    // REPORTs have no body.
    report: { maxBytes: 64 * 1024, maxChunks: 1 },
    // Kept whole in the archive database until decided; four times ITK3's recommended 5 MB, so the receiver still
    // answers a message over its own limit (20015) rather than leaving it in MESH.
    document: { maxBytes: 20 * MIB, maxChunks: 20 },
  },
  maxAttempts: 5,
  unmatchedGraceMs: 3_600_000,
  quarantineAlertAbove: 10,
  messagesInFlight: 4,
};

/** The MESH workflow ids listed at each poll, each with its own workflow filter. */
export function listedWorkflows(): string[] {
  return SEND_WORKFLOWS.flatMap((workflow) => [`${workflow}_ACK`, workflow]);
}

/**
 * What a listed message is to fedreport, from its headers alone, or null when it is not ours to take: DATA on an
 * `_ACK` workflow is an ITK3 answer; a REPORT on a send workflow is about one of our sends; DATA on a send workflow
 * is a report for the receiving side; a REPORT on an `_ACK` workflow is about someone's answer, not ours.
 */
export function kindOf(headers: MeshMessageHeaders, policy: InboxPolicy): InboxKind | null {
  const workflow = headers.workflowId ?? '';
  const send = (SEND_WORKFLOWS as readonly string[]).includes(workflow);
  const answer = SEND_WORKFLOWS.some((w) => `${w}_ACK` === workflow);
  if (answer && headers.messageType === 'DATA') return 'ack';
  if (send && headers.messageType === 'REPORT') return 'report';
  if (send && headers.messageType === 'DATA' && policy.receiveDocuments) return 'document';
  return null;
}
