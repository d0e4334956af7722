/**
 * The mesh-sandbox test endpoints the router uses to make a routing failure look as MESH shows it (views/admin.py,
 * handlers/admin.py of mesh-sandbox): the failed message gets an error event, so tracking reports the failure, and
 * the sender's inbox gets a REPORT built by the sandbox's own `POST /messageexchange/admin/report`, the way the
 * sandbox shapes every REPORT (`mex-messagetype: REPORT`, `mex-statussuccess: ERROR`, the code, description and
 * `mex-linkedmsgid`, the original's workflow id, local id, subject and file name; event `TRANSFER`, as the sandbox
 * always sets it).
 */
import { z } from 'zod';
import type { RoutingFailure } from './routing';

const createdReportSchema = z.object({ message_id: z.string().min(1) });

/**
 * The sandbox mailbox a send whose GPPROVIDER address cannot be resolved is held in, so that it has a real MESH
 * message id (the sender's tracking finds it) without reaching any practice. Its inbox never lists it: the error
 * event takes it out.
 */
export const MESH_ROUTER_HOLDING_MAILBOX = 'UNROUTABLE';

export interface RoutingReport {
  /** The sender: the REPORT goes to its inbox. */
  senderMailbox: string;
  /** The MESH message id the sender was given for the failed message. */
  linkedMessageId: string;
  failure: RoutingFailure;
  workflowId: string;
  localId?: string;
  subject?: string;
  filename?: string;
}

export interface SandboxAdmin {
  /** Fails if the mailbox does not exist in the sandbox. */
  requireMailbox(mailboxId: string): Promise<void>;
  /** Error event on the held message, then the REPORT in the sender's inbox; returns the REPORT's message id. */
  reportFailure(report: RoutingReport): Promise<string>;
}

export function sandboxAdmin(sandboxUrl: string): SandboxAdmin {
  const call = async (method: string, path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`${sandboxUrl}${path}`, {
      method,
      signal: AbortSignal.timeout(10_000),
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`mesh-sandbox ${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    async requireMailbox(mailboxId) {
      await call('GET', `/messageexchange/mailbox/${encodeURIComponent(mailboxId)}`);
    },
    async reportFailure(report) {
      const { code, description } = report.failure;
      await call(
        'POST',
        `/messageexchange/admin/message/${encodeURIComponent(report.linkedMessageId)}/event`,
        {
          status: 'error',
          event: 'SEND',
          code,
          description,
        },
      );
      const created = await call('POST', '/messageexchange/admin/report', {
        mailbox_id: report.senderMailbox,
        status: 'error',
        code,
        description,
        workflow_id: report.workflowId,
        local_id: report.localId,
        subject: report.subject,
        file_name: report.filename,
        linked_message_id: report.linkedMessageId,
      });
      return createdReportSchema.parse(created).message_id;
    },
  };
}
