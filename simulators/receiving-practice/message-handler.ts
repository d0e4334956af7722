/**
 * One incoming MESH message, as a receiving GP system treats it: download, validate, pick the behaviour (per patient
 * or global), answer with ITK3 acknowledgements, and take the message off the inbox. Split in two steps so that the
 * polling loop can hold back a delayed answer without holding up the messages behind it.
 */
import type { MeshClient } from '../../integrations/mesh/client';
import { ackWorkflowIdFor, type AcknowledgementAddress } from '../../integrations/itk3/acknowledgement';
import { sendAcknowledgement, type Responder } from './acknowledgements';
import { errorFields, mailboxLabel, type SimulatorLogger } from './logging';
import { assessIncomingMessage } from '../../integrations/itk3/incoming-assessment';
import { planAnswers, policyFor, type PlannedAnswer, type ResolvedBehaviour } from './response-policy';
import type { SimulatorCounters } from './stats';

/** A polled mailbox and the MESH client authenticated as it. */
export interface PolledMailbox {
  id: string;
  client: MeshClient;
}

/** What is left to do for a received message: answer it (maybe later), then acknowledge it in MESH. */
export interface PendingDelivery {
  mailbox: PolledMailbox;
  messageId: string;
  delayMs: number;
  answers: PlannedAnswer[];
  /** Absent when nothing is to be sent, or when neither source.endpoint nor the MESH sender could be read. */
  address?: AcknowledgementAddress;
}

export interface MessageHandlerOptions {
  counters: SimulatorCounters;
  behaviour: () => ResolvedBehaviour;
  /** Who answers for a mailbox: the mailbox itself, or the configured reply mailbox. */
  responderFor: (mailbox: PolledMailbox) => Responder;
  logger: SimulatorLogger;
}

export class MessageHandler {
  /** MessageHeader ids received so far: the same id again is a duplicate message (20007). */
  private readonly receivedHeaderIds = new Set<string>();
  /**
   * MESH ids answered but not yet acknowledged in MESH. If the acknowledgement fails the message is listed again on
   * the next poll; it must then only be acknowledged, not answered twice or taken for a duplicate from the sender.
   */
  private readonly answeredMeshIds = new Set<string>();

  constructor(private readonly options: MessageHandlerOptions) {}

  async receive(mailbox: PolledMailbox, messageId: string): Promise<PendingDelivery> {
    const nothingToSend: PendingDelivery = { mailbox, messageId, delayMs: 0, answers: [] };
    if (this.answeredMeshIds.has(messageId)) return nothingToSend;
    const { counters, logger } = this.options;
    const message = await mailbox.client.download(messageId);
    if (message.messageType === 'REPORT' || message.workflowId?.endsWith('_ACK')) {
      // Answering an acknowledgement or a MESH report would start an endless exchange.
      counters.count(mailbox.id, 'ignored');
      return nothingToSend;
    }
    counters.count(mailbox.id, 'received');

    const assessment = assessIncomingMessage(message.body);
    let rejection = assessment.rejection;
    if (rejection) {
      counters.count(mailbox.id, 'invalid');
    } else if (this.receivedHeaderIds.has(assessment.original.messageHeaderId)) {
      counters.count(mailbox.id, 'duplicates');
      rejection = { code: '20007', diagnostics: 'a message with this MessageHeader id was received before' };
    }
    if (!rejection) this.receivedHeaderIds.add(assessment.original.messageHeaderId);

    const plan = planAnswers(policyFor(this.options.behaviour(), assessment.nhsNumber), rejection);
    if (!plan) counters.count(mailbox.id, 'unanswered');
    // The sender's own routing target first; the MESH sender when the message could not be read (ITK3 10009).
    const to = assessment.replyTo ?? message.from;
    logger.info(
      {
        mailbox: mailboxLabel(mailbox.id),
        messageId,
        messageHeaderId: assessment.original.messageHeaderId,
        workflowId: message.workflowId,
        rejection: rejection?.code,
        answers: plan?.answers.map((a) => a.code) ?? [],
        delayMs: plan?.delayMs ?? 0,
      },
      'message received',
    );
    if (!plan) return nothingToSend;
    return {
      mailbox,
      messageId,
      delayMs: plan.delayMs,
      answers: plan.answers,
      address: to
        ? {
            original: assessment.original,
            to,
            workflowId: ackWorkflowIdFor(message.workflowId),
            format: assessment.format,
          }
        : undefined,
    };
  }

  /**
   * Sends the answers in order (a failed one ends the sequence: without the infrastructure ack the business ack would
   * make no sense), then acknowledges the message in MESH whatever happened, so a bad message never blocks the inbox.
   * A failing MESH acknowledgement is thrown; the message is acknowledged on the next poll without a second answer.
   */
  async deliver(delivery: PendingDelivery): Promise<void> {
    const { counters, logger } = this.options;
    const { mailbox, messageId, address } = delivery;
    if (delivery.answers.length > 0 && !address) {
      counters.ackFailed();
      logger.warn(
        { mailbox: mailboxLabel(mailbox.id), messageId },
        'no sender mailbox to answer: left unanswered',
      );
    }
    if (address) {
      const responder = this.options.responderFor(mailbox);
      for (const answer of delivery.answers) {
        try {
          const ackHeaderId = await sendAcknowledgement(responder, address, answer);
          counters.ackSent(answer.code);
          logger.info(
            { messageId, code: answer.code, ackMessageHeaderId: ackHeaderId, workflowId: address.workflowId },
            'acknowledgement sent',
          );
        } catch (error) {
          counters.ackFailed();
          logger.warn({ messageId, code: answer.code, ...errorFields(error) }, 'acknowledgement not sent');
          break;
        }
      }
    }
    this.answeredMeshIds.add(messageId);
    await mailbox.client.acknowledge(messageId);
    this.answeredMeshIds.delete(messageId);
    counters.count(mailbox.id, 'acknowledged');
  }
}
