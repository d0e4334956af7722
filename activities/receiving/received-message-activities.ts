/**
 * The activities of one received message (ports: workflows/received-message-activities.ts), built by a factory from
 * their dependencies: the copies the inbox kept (body, duplicate claim, decision), the document inbox that keeps
 * accepted documents, MESH for the answers, PDS for the business answer, the practice settings and the operator alert
 * sinks. What they return is PHI-free; the document, its NHS number and PDF go only to the document inbox.
 */
import { Context } from '@temporalio/activity';
import type { FilingSettings } from '../../domain/document-filing';
import { deliverAlert, type AlertSink } from '../alerts/raise-alert';
import { nameBasedUuid } from '../../domain/name-based-uuid';
import { acceptedEarlier } from '../delivery/send-report';
import { businessAnswerFor } from '../../domain/business-answer';
import { ackWorkflowIdFor, buildAcknowledgement } from '../../integrations/itk3/acknowledgement';
import {
  validateReceivedMessage,
  type ReceiveLimits,
} from '../../integrations/itk3/received-message-validation';
import type { ReceivedDocument } from '../../integrations/itk3/received-document-reader';
import type { MeshMailboxes } from '../../integrations/mesh/mailboxes';
import type { PdsClient } from '../../integrations/pds/client';
import { lookupPatient } from '../../integrations/pds/lookup';
import { registrationFactsOf } from '../../integrations/pds/registration-facts';
import type {
  AcceptRequest,
  FilingOutcome,
  ReceivedMessageActivities,
  ReceivedMessageVerdict,
} from '../../workflows/received-message-activities';
import { verdictSchema } from './received-message-verdict';

/** One accepted document as the document inbox keeps it. Holds patient data: sealed at rest, never logged. */
export interface HeldDocument {
  mailbox: string;
  meshMessageId: string;
  practiceOds: string;
  messageHeaderId: string;
  senderReference: string;
  receivedAt: string;
  document: ReceivedDocument;
}

/** The durable document inbox (the archive database); keyed by mailbox and MESH message id. */
export interface ReceivedDocumentInbox {
  /** Idempotent: holding the same message again changes nothing. */
  hold(document: HeldDocument): Promise<void>;
  nhsNumberOf(key: { mailbox: string; meshMessageId: string }): Promise<string>;
  recordFiling(key: { mailbox: string; meshMessageId: string }, filing: FilingOutcome): Promise<void>;
}

/**
 * The copies the inbox handed over (the archive database's `received_deliveries`): each body until its copy is
 * decided, the decision, and which copy claimed each received message first.
 */
export interface ReceivedDeliveries {
  body(meshMessageId: string): Promise<Buffer | undefined>;
  claim(receivedMessageId: string, meshMessageId: string, at: Date): Promise<string>;
  decide(meshMessageId: string, decided: { runId: string; decision: string }): Promise<void>;
  decisionOf(meshMessageId: string): Promise<{ runId: string; decision: string } | undefined>;
}

export interface ReceivedMessageDependencies {
  deliveries: ReceivedDeliveries;
  inbox: ReceivedDocumentInbox;
  mailboxes: MeshMailboxes;
  pds: PdsClient;
  /** The practice that uses a mailbox; undefined for a mailbox no practice is configured with. */
  practiceOfMailbox(mailbox: string): Promise<string | undefined>;
  /** The practice's `receiving` settings (activities/settings/filing-settings.ts). */
  filingSettingsOf(practiceOds: string): Promise<FilingSettings>;
  /** Where an unfiled document's alert goes (the worker's log and webhook sinks). */
  alertSinks: AlertSink[];
  limits?: ReceiveLimits;
  now?: () => Date;
}

/**
 * ITK3's answer to a second copy of a message (same MessageHeader id): 20007, negative and final for that copy only;
 * the first copy's answers stand (docs/receiving.md, duplicates).
 */
const DUPLICATE = { code: '20007', diagnostics: 'a message with this MessageHeader id was received before' };
const SETTLED: ReceivedMessageVerdict = { outcome: 'settled' };

/** The lookup's X-Request-ID is the same on every retry (PDS recognises the repeat). */
const PDS_REQUEST_NAMESPACE = 'c3f6e0a2-91d4-4b7e-8a55-0e2d7b6c9f14';

export function createReceivedMessageActivities(
  deps: ReceivedMessageDependencies,
): ReceivedMessageActivities {
  const practiceOf = async (mailbox: string): Promise<string> => {
    const practice = await deps.practiceOfMailbox(mailbox);
    if (!practice) throw new Error(`no practice of the federation uses mailbox ${mailbox}`);
    return practice;
  };
  /** Validates one copy; the first copy of a message goes on (held when accepted), any later one earns 20007. */
  const decide = async (request: AcceptRequest, body: Buffer): Promise<ReceivedMessageVerdict> => {
    const verdict = validateReceivedMessage(body, deps.limits);
    const answerTo = {
      originalMessageHeaderId: verdict.original.messageHeaderId,
      senderReference: verdict.original.senderReference,
      to: verdict.replyTo ?? request.meshSender,
      workflowId: ackWorkflowIdFor(request.meshWorkflowId),
      format: verdict.format,
    };
    const now = (deps.now ?? (() => new Date()))();
    const first = await deps.deliveries.claim(request.receivedMessageId, request.meshMessageId, now);
    if (first !== request.meshMessageId) return { outcome: 'rejected', answerTo, ...DUPLICATE };
    if (verdict.rejection) return { outcome: 'rejected', answerTo, ...verdict.rejection };
    const practiceOds = await practiceOf(request.mailbox);
    await deps.inbox.hold({
      mailbox: request.mailbox,
      meshMessageId: request.meshMessageId,
      practiceOds,
      messageHeaderId: verdict.original.messageHeaderId,
      senderReference: verdict.original.senderReference,
      receivedAt: request.receivedAt,
      document: verdict.document,
    });
    return { outcome: 'accepted', answerTo, practiceOds };
  };
  return {
    async acceptReceivedMessage(request: AcceptRequest) {
      const earlier = await deps.deliveries.decisionOf(request.meshMessageId);
      if (earlier) {
        // A retry of the deciding run gets its decision again; a later run (MESH listed the copy again) has nothing to do.
        return earlier.runId === request.runId ? verdictSchema.parse(JSON.parse(earlier.decision)) : SETTLED;
      }
      const body = await deps.deliveries.body(request.meshMessageId);
      if (!body) throw new Error(`received message ${request.meshMessageId} was never kept`);
      const verdict = await decide(request, body);
      await deps.deliveries.decide(request.meshMessageId, {
        runId: request.runId,
        decision: JSON.stringify(verdict),
      });
      return verdict;
    },

    async sendReceivedMessageAnswer({ mailbox, answerTo, code, diagnostics, respondedAt }) {
      const message = buildAcknowledgement(
        { odsCode: await practiceOf(mailbox), mailboxId: mailbox },
        {
          original: {
            messageHeaderId: answerTo.originalMessageHeaderId,
            senderReference: answerTo.senderReference,
          },
          to: answerTo.to,
          workflowId: answerTo.workflowId,
          format: answerTo.format,
        },
        { code, diagnostics },
        respondedAt,
      );
      const client = deps.mailboxes.clientFor(mailbox);
      // A retried attempt may follow one that died after MESH took the answer: the same local id tells.
      if (Context.current().info.attempt > 1 && (await acceptedEarlier(client, message.localId))) return;
      await client.send(message);
    },

    filingSettingsOf: ({ practiceOds }) => deps.filingSettingsOf(practiceOds),

    async decideBusinessAnswer({ mailbox, meshMessageId, practiceOds }) {
      const nhsNumber = await deps.inbox.nhsNumberOf({ mailbox, meshMessageId });
      const outcome = await lookupPatient(deps.pds, nhsNumber, {
        requestId: nameBasedUuid(PDS_REQUEST_NAMESPACE, `${mailbox}:${meshMessageId}`),
        endUserOds: practiceOds,
      });
      return businessAnswerFor(registrationFactsOf(outcome), practiceOds, (deps.now ?? (() => new Date()))());
    },

    recordFilingOutcome: ({ mailbox, meshMessageId, filing }) =>
      deps.inbox.recordFiling({ mailbox, meshMessageId }, filing),

    raiseReceivedDocumentAlert: (alert) => deliverAlert(deps.alertSinks, alert),
  };
}
