/**
 * Reads a downloaded MESH REPORT (asynchronous error report, domain-reference §2.8): which of our messages failed,
 * why, and the class of failure an operator acts on (domain/mesh-report.ts). The report's own `to` is the original
 * GPPROVIDER address, which is patient data: it is not read.
 */
import { classifyMeshReport, type MeshReportClass } from '../../domain/mesh-report';
import { Itk3ParseError } from '../itk3/errors';
import type { MeshIncomingMessage } from './messages';

export interface MeshReport {
  /** MESH message id of the message that failed. */
  linkedMessageId: string;
  /** Our Mex-LocalID of that message (its MessageHeader.id), when MESH echoed it. */
  localId?: string;
  workflowId?: string;
  /** Upper case, without surrounding space. */
  statusCode: string;
  classification: MeshReportClass;
  description: string;
  event: string;
}

/** Throws Itk3ParseError, naming the mex- header at fault, when the message is not a MESH error report. */
export function readMeshReport(message: MeshIncomingMessage): MeshReport {
  if (message.messageType !== 'REPORT') {
    throw new Itk3ParseError('unexpected-content', 'mex-messagetype', 'not a REPORT message');
  }
  if (message.status.success) {
    const reason = 'MESH reports only errors; a successful report is not expected';
    throw new Itk3ParseError('unexpected-content', 'mex-statussuccess', reason);
  }
  const linkedMessageId = required(message.linkedMessageId, 'mex-linkedmsgid');
  const statusCode = required(message.status.code, 'mex-statuscode').trim().toUpperCase();
  return {
    linkedMessageId,
    localId: message.localId,
    workflowId: message.workflowId,
    statusCode,
    classification: classifyMeshReport(statusCode),
    description: message.status.description ?? '',
    event: message.status.event ?? '',
  };
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') {
    throw new Itk3ParseError('missing-field', field, 'is required in a MESH report');
  }
  return value;
}
