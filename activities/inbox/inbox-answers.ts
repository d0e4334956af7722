/**
 * An inbound answer read into the signal its encounter receives, and the ids it can be found by. Everything taken
 * from the message is checked or sanitised first (domain/foreign-text.ts): display texts and MESH descriptions are
 * foreign free text, ids and codes must have their expected shape or are left out.
 */
import { foreignText } from '../../domain/foreign-text';
import { ITK3_RESPONSE_CODES, parseItk3Response, type Itk3Response } from '../../integrations/itk3';
import type { MeshIncomingMessage } from '../../integrations/mesh/messages';
import { readMeshReport } from '../../integrations/mesh/report-parser';
import {
  acknowledgementReceivedSignal,
  meshReportReceivedSignal,
  type AcknowledgementReceived,
  type MeshReportReceived,
} from '../../workflows/encounter-messages';
import type { AnswerLink } from './answer-archive';
import type { AnswerRouter, Delivery } from './answer-routing';

const MESH_ID = /^[A-Za-z0-9_-]{1,100}$/;
const ODS_CODE = /^[A-Za-z0-9]{3,10}$/;

/** An answer read from a message: how to find its encounter, and how to hand it over. */
export interface Answer {
  kind: 'acknowledgement' | 'report';
  /** The ITK3 or MESH status code, for the metrics. */
  code: string;
  /** How the archive links it to our sent message, and the state it gives that message. */
  archived: AnswerLink;
  /** Tries the answer's ids in order; undefined when no report of ours matches. */
  find(router: AnswerRouter): Promise<string | undefined>;
  /** Signals the encounter (its current run, or a new one). */
  send(router: AnswerRouter, where: Omit<Delivery<unknown>, 'signal' | 'payload'>): Promise<void>;
}

/** Reads an ITK3 answer; throws Itk3ParseError when it is not one. */
export function readAcknowledgement(message: MeshIncomingMessage, receivedAt: string): Answer {
  const ack = parseItk3Response(message.body);
  const payload: AcknowledgementReceived = {
    messageHeaderId: foreignText(ack.originalMessageHeaderId) ?? '',
    kind: ack.kind,
    code: ack.code,
    display: displayOf(ack),
    positive: ack.positive,
    receivedAt,
    senderMailbox: idOrNothing(message.from, MESH_ID),
    responderOds: idOrNothing(ack.responderOdsCode, ODS_CODE)?.toUpperCase(),
    ...(ack.unreadableOriginal && { unreadableOriginal: true }),
  };
  return {
    kind: 'acknowledgement',
    code: ack.code,
    archived: {
      localId: ack.unreadableOriginal ? message.localId : ack.originalMessageHeaderId,
      kind: 'itk3-acknowledgement',
      code: ack.code,
      messageState: ack.positive ? 'acknowledged' : 'rejected',
    },
    find: ack.unreadableOriginal
      ? async (router) =>
          (await router.bySenderReference(ack.senderReference)) ??
          (await router.byMessageHeaderId(message.localId))
      : (router) => router.byMessageHeaderId(ack.originalMessageHeaderId),
    send: (router, where) => router.deliver({ ...where, signal: acknowledgementReceivedSignal, payload }),
  };
}

/** Reads a MESH REPORT; throws Itk3ParseError when it lacks what a report must carry. */
export function readReport(message: MeshIncomingMessage, receivedAt: string): Answer {
  const report = readMeshReport(message);
  const localId = idOrNothing(report.localId, /^[A-Za-z0-9._:-]{1,300}$/);
  const statusCode = foreignText(report.statusCode, 20) ?? '';
  const payload: MeshReportReceived = {
    meshMessageId: foreignText(report.linkedMessageId, 100) ?? '',
    statusCode,
    classification: report.classification,
    description: foreignText(report.description),
    receivedAt,
    localId,
  };
  return {
    kind: 'report',
    code: statusCode,
    // MESH sends REPORTs only for errors (report-parser.ts): the message never reached its recipient.
    archived: { localId, kind: 'mesh-report', code: statusCode, messageState: 'undeliverable' },
    find: async (router) =>
      router.byMeshMessageId(report.linkedMessageId) ?? (await router.byMessageHeaderId(localId)),
    send: (router, where) => router.deliver({ ...where, signal: meshReportReceivedSignal, payload }),
  };
}

/** The code table's display for a known code (it says what the code means); the responder's text only otherwise. */
function displayOf(ack: Itk3Response): string | undefined {
  return foreignText(ITK3_RESPONSE_CODES[ack.code]?.display ?? ack.display);
}

function idOrNothing(value: string | undefined, shape: RegExp): string | undefined {
  const trimmed = value?.trim();
  return trimmed && shape.test(trimmed) ? trimmed : undefined;
}
