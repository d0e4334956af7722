/**
 * Reads a MESH REPORT (asynchronous error report, domain-reference §2.8) from its download headers: which of our
 * messages failed and why. Undelivered (14: not collected within 5 days) and GPPROVIDER routing failures (EPL-150…154)
 * are told apart because an operator handles them differently. The report's own mex-to is the original GPPROVIDER
 * address, which is patient data: it is not read.
 */
import { z } from 'zod';
import { Itk3ParseError } from '../itk3/errors';

export type MeshReportOutcome = 'undelivered' | 'routing-failed' | 'other-error';

export interface MeshReport {
  /** MESH message id of the message that failed. */
  linkedMessageId: string;
  /** Our Mex-LocalID of that message (its MessageHeader.id), when MESH echoed it. */
  localId?: string;
  workflowId?: string;
  statusCode: string;
  description: string;
  event: string;
  outcome: MeshReportOutcome;
}

/** Header values as Node, undici or fetch give them: a Headers object or a record, names in any case. */
export type MeshHeaders = Headers | Readonly<Record<string, string | string[] | undefined>>;

const ROUTING_FAILURES = new Set(['EPL-150', 'EPL-151', 'EPL-152', 'EPL-153', 'EPL-154']);

const reportHeadersSchema = z.object({
  'mex-messagetype': z.string(),
  'mex-linkedmsgid': z.string().min(1),
  'mex-statuscode': z.string().min(1),
  'mex-statussuccess': z.string().optional(),
  'mex-statusdescription': z.string().optional(),
  'mex-statusevent': z.string().optional(),
  'mex-localid': z.string().min(1).optional(),
  'mex-workflowid': z.string().min(1).optional(),
});

/** Throws Itk3ParseError when the headers are not those of a MESH error report. */
export function parseMeshReport(headers: MeshHeaders): MeshReport {
  const result = reportHeadersSchema.safeParse(lowerCased(headers));
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = String(issue?.path[0] ?? 'headers');
    const missing = issue?.code === 'invalid_type' && issue.received === 'undefined';
    throw new Itk3ParseError(
      missing ? 'missing-field' : 'invalid-field',
      field,
      missing ? 'is required in a MESH report' : 'must not be empty',
    );
  }
  const report = result.data;
  if (report['mex-messagetype'].toUpperCase() !== 'REPORT') {
    throw new Itk3ParseError('unexpected-content', 'mex-messagetype', 'not a REPORT message');
  }
  if (report['mex-statussuccess']?.toUpperCase() === 'SUCCESS') {
    throw new Itk3ParseError(
      'unexpected-content',
      'mex-statussuccess',
      'MESH reports only errors; a successful report is not expected',
    );
  }
  const statusCode = report['mex-statuscode'].trim().toUpperCase();
  return {
    linkedMessageId: report['mex-linkedmsgid'],
    localId: report['mex-localid'],
    workflowId: report['mex-workflowid'],
    statusCode,
    description: report['mex-statusdescription'] ?? '',
    event: report['mex-statusevent'] ?? '',
    outcome:
      statusCode === '14'
        ? 'undelivered'
        : ROUTING_FAILURES.has(statusCode)
          ? 'routing-failed'
          : 'other-error',
  };
}

function lowerCased(headers: MeshHeaders): Record<string, string> {
  const entries: [string, string | string[] | undefined][] =
    headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    // A repeated header keeps its first value: MESH sends each mex- header once.
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name.toLowerCase()] = first;
  }
  return out;
}
