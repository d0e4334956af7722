/**
 * The activities of one received message (ports: workflows/received-message-activities.ts), built by a factory from
 * their dependencies: the held body (the inbox's spool), the document inbox that keeps accepted documents, MESH for
 * the answers, PDS for the business answer, the practice settings and the operator alert sinks. What they return is
 * PHI-free; the document, its NHS number and PDF go only to the document inbox.
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
  FilingOutcome,
  ReceivedMessageActivities,
  ReceivedMessageInput,
} from '../../workflows/received-message-activities';

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

export interface ReceivedMessageDependencies {
  readHeldBody(key: { mailbox: string; meshMessageId: string }): Promise<Buffer>;
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
  return {
    async acceptReceivedMessage(input: ReceivedMessageInput) {
      const verdict = validateReceivedMessage(await deps.readHeldBody(input), deps.limits);
      const answerTo = {
        originalMessageHeaderId: verdict.original.messageHeaderId,
        senderReference: verdict.original.senderReference,
        to: verdict.replyTo ?? input.meshSender,
        workflowId: ackWorkflowIdFor(input.meshWorkflowId),
        format: verdict.format,
      };
      if (verdict.rejection) return { outcome: 'rejected', answerTo, ...verdict.rejection };
      const practiceOds = await practiceOf(input.mailbox);
      await deps.inbox.hold({
        mailbox: input.mailbox,
        meshMessageId: input.meshMessageId,
        practiceOds,
        messageHeaderId: verdict.original.messageHeaderId,
        senderReference: verdict.original.senderReference,
        receivedAt: input.receivedAt,
        document: verdict.document,
      });
      return { outcome: 'accepted', answerTo, practiceOds };
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
