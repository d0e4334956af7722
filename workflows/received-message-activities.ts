/**
 * What the workflow of one received Send Document message needs from the outside world (ports; adapters in
 * activities/receiving/). Everything crossing this boundary is PHI-free: MESH ids, the original's MessageHeader id and
 * SenderReference (a UUID and the encounter GUID), ODS codes and ITK3 codes; the document itself stays where the
 * activities hold it.
 */
import type { AlertLifecycle } from '../domain/alerts';
import type { FilingOutcome, FilingSettings } from '../domain/document-filing';

export type { FilingOutcome } from '../domain/document-filing';

/** How the inbox hands a downloaded message over. */
export interface ReceivedMessageInput {
  /** The practice's mailbox the message arrived in, and its MESH message id: where the held body is found. */
  mailbox: string;
  meshMessageId: string;
  /** Mex-WorkflowID of the message: answers go on this + `_ACK`. */
  meshWorkflowId: string;
  /** Mex-From: where answers go when the message names no source.endpoint (unreadable). */
  meshSender: string;
  receivedAt: string;
}

/** One copy to decide, by the run of the received message's workflow (its id names the message). */
export interface AcceptRequest extends ReceivedMessageInput {
  /** The workflow id: mailbox + MessageHeader id, the key a second copy is recognised by. */
  receivedMessageId: string;
  /** The deciding run: its retries get its decision back, any other run finds the copy settled. */
  runId: string;
}

/**
 * What was decided about one copy; an accepted message is durably held (in the document inbox) before this returns.
 * A second copy of a message (same mailbox and MessageHeader id) is rejected with 20007; a copy an earlier run
 * already decided (MESH listed it again) is `settled`: answered before, nothing more to do.
 */
export type ReceivedMessageVerdict =
  | { outcome: 'accepted'; answerTo: AnswerAddress; practiceOds: string }
  | { outcome: 'rejected'; answerTo: AnswerAddress; code: string; diagnostics: string }
  | { outcome: 'settled' };

export interface AnswerAddress {
  originalMessageHeaderId: string;
  senderReference: string;
  /** source.endpoint, else the MESH sender. */
  to: string;
  workflowId: string;
  format: 'xml' | 'json';
}

export interface ReceivedAnswer {
  /** The mailbox that received the message: the answer goes out from it, for the practice that uses it. */
  mailbox: string;
  answerTo: AnswerAddress;
  code: string;
  diagnostics?: string;
  /** Recorded by the workflow, so a retried send builds the very same message (same MessageHeader id). */
  respondedAt: string;
}

/**
 * An operator alert about a document that waits unfiled longer than the practice's setting; resolved once it is filed
 * or refused. PHI-free: ids, ODS codes, the time waited. Keyed by the message's workflow id.
 */
export interface UnfiledDocumentAlert extends AlertLifecycle {
  kind: 'document-unfiled';
  practiceOds: string;
  mailbox: string;
  meshMessageId: string;
  /** The SenderReference: the sender's encounter GUID. */
  encounterGuid: string;
  detail: string;
}

export interface ReceivedMessageActivities {
  acceptReceivedMessage(request: AcceptRequest): Promise<ReceivedMessageVerdict>;
  sendReceivedMessageAnswer(answer: ReceivedAnswer): Promise<void>;
  /**
   * The practice's filing settings: "acknowledge on receipt" files at once; "acknowledge when filed" (the default)
   * waits for the clinical system, with an alert when a document waits too long.
   */
  filingSettingsOf(request: { practiceOds: string }): Promise<FilingSettings>;
  /** The business code from a PDS lookup against the practice (domain/business-answer.ts). */
  decideBusinessAnswer(request: {
    mailbox: string;
    meshMessageId: string;
    practiceOds: string;
  }): Promise<string>;
  /** Marks the held document filed or rejected in the document inbox. */
  recordFilingOutcome(request: {
    mailbox: string;
    meshMessageId: string;
    filing: FilingOutcome;
  }): Promise<void>;
  raiseReceivedDocumentAlert(alert: UnfiledDocumentAlert): Promise<void>;
}
